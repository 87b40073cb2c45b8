import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRYPT_KEYS_FILE, DecryptionError, FieldCipher, addKeyToKeyringFile } from '@sogoms/crypt';
import type { ReloadResult } from '@sogoms/ipc';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, type CliCommand, type CliContext, EXIT } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { rewriteColumn } from '../encrypted-column.rewriter.js';
import { runDirOf } from '../run-dir.lookup.js';
import { desiredSchemaOf } from '../schema-comparison.js';
import { LONG_TIMEOUT_MS, SupervisorClient } from '../supervisor-client.js';
import { batchOf, keyringOf, type CryptBatchOptions } from './crypt-migrate.command.js';

/** A rotation under way: the key its values go to. Removed when every value is on it. */
export const ROTATION_FILE = 'secrets/crypt.rotation';

/** Passes over the columns until one rewrites nothing (a write of the old snapshot may land behind a pass). */
const MAX_PASSES = 3;

/**
 * The new key, or the one a rotation cut short was going to: the state file is written right
 * after the key is added, so a run after kill -9 resumes instead of adding another key.
 */
const targetKey = (ctx: CliContext<object>, dir: string, app: string): string => {
  const state = join(dir, ROTATION_FILE);
  if (existsSync(state)) {
    const to = (JSON.parse(readFileSync(state, 'utf8')) as { to?: unknown }).to;
    if (typeof to !== 'string' || keyringOf(dir, app).currentId !== to)
      throw new CliFailure(
        `${state}: names a key that is not the current one of ${CRYPT_KEYS_FILE}; remove it to start anew`,
      );
    ctx.out(`resuming the rotation to key ${to}`);
    return to;
  }
  keyringOf(dir, app);
  const to = addKeyToKeyringFile(join(dir, CRYPT_KEYS_FILE), app);
  writeFileSync(state, `${JSON.stringify({ to })}\n`, { mode: 0o600 });
  ctx.out(`added key ${to} to ${CRYPT_KEYS_FILE}: new values are written with it`);
  return to;
};

/**
 * The running gateway must hold the new key before any value is written with it (it reads the
 * keys once per snapshot). No supervisor: nothing serves, nothing to tell.
 */
const reloadServices = async (ctx: CliContext<object>): Promise<void> => {
  const client = new SupervisorClient(runDirOf(ctx.configRoot));
  let result: ReloadResult;
  try {
    result = (await client.call({ cmd: 'reload' }, LONG_TIMEOUT_MS)) as ReloadResult;
  } catch (error) {
    if (error instanceof CliFailure && error.message.startsWith('the supervisor is not running')) {
      ctx.out('the supervisor is not running: the gateway reads the new key when it starts');
      return;
    }
    throw error;
  }
  const refused = result.services.filter((s) => s.signalled && s.applied === false);
  if (refused.length > 0)
    throw new CliFailure(
      `${refused.map((s) => `${s.name}: ${s.error ?? 'reload refused'}`).join('; ')}: no value was re-encrypted; fix it and run crypt rotate again (it resumes)`,
    );
  ctx.out(
    `reloaded: ${
      result.services
        .filter((s) => s.signalled)
        .map((s) => s.name)
        .join(', ') || 'nothing to reload'
    }`,
  );
};

/**
 * `sogoms crypt rotate <app>`: a new key becomes current (the gateway reloads to write with it),
 * then every encrypted value on an older key is decrypted and encrypted again with it, in
 * batches, while the API serves: reads work throughout, the key id of each envelope says which
 * key opens it. Progress is printed per batch. Killed, a new run resumes with the same key and
 * skips what is on it already; the blind index is not rotated (it would no longer find rows).
 */
export const cryptRotateCommand: CliCommand<CryptBatchOptions> = {
  async run(ctx) {
    const batch = batchOf(ctx.options);
    const { app } = findApp(ctx.configRoot, ctx.args[0]);
    const schema = desiredSchemaOf(ctx.configRoot, app);
    const targets = schema.tables.flatMap((table) =>
      table.fields.filter((f) => f.encrypted === true).map((field) => ({ table, field })),
    );
    const to = targetKey(ctx, app.dir, app.name);
    await reloadServices(ctx);
    const cipher = new FieldCipher(keyringOf(app.dir, app.name));
    let unreadable = 0;
    await withAppDatabase(
      app,
      async (db) => {
        for (let pass = 1; pass <= MAX_PASSES; pass++) {
          let rewritten = 0;
          unreadable = 0;
          for (const { table, field } of targets) {
            const context = { app: app.name, table: table.name, field: field.name };
            const stats = await rewriteColumn(
              db,
              { table, field, indexColumn: null },
              (value) => {
                if (FieldCipher.keyIdOf(value) === to) return null;
                try {
                  return { stored: cipher.encrypt(cipher.decrypt(value, context), context) };
                } catch (error) {
                  if (error instanceof DecryptionError) return 'unreadable';
                  throw error;
                }
              },
              batch,
              (s) => ctx.out(`${table.name}.${field.name}: ${s.seen} rows read, ${s.rewritten} re-encrypted`),
            );
            rewritten += stats.rewritten + stats.changedMeanwhile;
            unreadable += stats.unreadable;
          }
          if (rewritten === 0) break;
        }
      },
      { write: true },
    );
    if (unreadable > 0) {
      ctx.out(
        `${unreadable} value(s) are no envelope of these keys (plaintext not yet migrated, or altered): left as they are; the rotation stays open`,
      );
      return EXIT.failed;
    }
    rmSync(join(app.dir, ROTATION_FILE), { force: true });
    ctx.out(
      `done: every encrypted value of app '${app.name}' is on key ${to}; older keys stay in ${CRYPT_KEYS_FILE} (backups need them)`,
    );
    return EXIT.ok;
  },
};
