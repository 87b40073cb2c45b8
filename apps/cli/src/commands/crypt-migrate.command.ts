import { join } from 'node:path';
import { CRYPT_KEYS_FILE, FieldCipher, KeyringFileError, blindIndex, readKeyringFile } from '@sogoms/crypt';
import { blindIndexColumn, blindIndexNormalisation } from '@sogoms/schema';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { rewriteColumn } from '../encrypted-column.rewriter.js';
import { compareWithDatabase, desiredSchemaOf } from '../schema-comparison.js';
import { describeChange } from '@sogoms/schema';

/** What `crypt migrate` and `crypt rotate` take (declared in crypt.command.ts). */
export interface CryptBatchOptions {
  batch?: string;
}

export const DEFAULT_BATCH = 500;

export const batchOf = (options: CryptBatchOptions): number => {
  const batch = options.batch === undefined ? DEFAULT_BATCH : Number(options.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000)
    throw new CliFailure(`--batch takes a number of rows from 1 to 10000, got ${options.batch}`, EXIT.usage);
  return batch;
};

/** The app's keys after the start-up check, or a CliFailure naming the file. */
export const keyringOf = (dir: string, app: string) => {
  try {
    return readKeyringFile(join(dir, CRYPT_KEYS_FILE), app);
  } catch (error) {
    if (error instanceof KeyringFileError) throw new CliFailure(error.message);
    throw error;
  }
};

/**
 * `sogoms crypt migrate <app> <table>.<field>`: encrypts the plaintext values of a field that
 * schema.yaml marks `encrypted: true` (after `schema migrate` made its column and blind index),
 * in batches, while the API serves. Values already encrypted are skipped, so a second run, or a
 * run after a crash, finishes the work and encrypts nothing twice.
 */
export const cryptMigrateCommand: CliCommand<CryptBatchOptions> = {
  async run(ctx) {
    const batch = batchOf(ctx.options);
    const { app } = findApp(ctx.configRoot, ctx.args[0]);
    const [tableName, fieldName, extra] = (ctx.args[1] ?? '').split('.');
    if (tableName === '' || fieldName === undefined || extra !== undefined)
      throw new CliFailure(`name the field as <table>.<field>, got '${ctx.args[1] ?? ''}'`, EXIT.usage);
    const schema = desiredSchemaOf(ctx.configRoot, app);
    const table = schema.tables.find((t) => t.name === tableName);
    const field = table?.fields.find((f) => f.name === fieldName);
    if (table === undefined || field === undefined)
      throw new CliFailure(`schema.yaml of app '${app.name}' has no field ${tableName}.${fieldName}`);
    if (field.encrypted !== true)
      throw new CliFailure(
        `${tableName}.${fieldName} is not encrypted in schema.yaml: add encrypted: true (and searchable: true to filter it), then run sogoms schema migrate ${app.name} --apply`,
      );
    const ring = keyringOf(app.dir, app.name);
    const cipher = new FieldCipher(ring);
    const context = { app: app.name, table: tableName, field: fieldName };
    const how = blindIndexNormalisation(field);
    const indexColumn = field.searchable === true ? blindIndexColumn(fieldName) : null;
    return withAppDatabase(
      app,
      async (db) => {
        // The column must hold envelopes and the blind index must exist before rows get them.
        const pending = (await compareWithDatabase(schema, db)).filter(
          (c) =>
            c.table === tableName &&
            ((c.kind === 'column_missing' && c.column === indexColumn) ||
              (db.engine === 'mariadb' &&
                c.kind === 'column_changed' &&
                c.column === fieldName &&
                c.aspect === 'type')),
        );
        if (pending.length > 0)
          throw new CliFailure(
            `the database is not ready for ${tableName}.${fieldName} (${pending.map(describeChange).join('; ')}): run sogoms schema migrate ${app.name} --apply first`,
          );
        ctx.out(
          `encrypting ${tableName}.${fieldName} of app '${app.name}' with key ${ring.currentId}, ${batch} rows a batch`,
        );
        const stats = await rewriteColumn(
          db,
          { table, field, indexColumn },
          (value) =>
            FieldCipher.isEnvelope(value)
              ? null
              : {
                  stored: cipher.encrypt(value, context),
                  index: blindIndex(ring.indexKey, value, context, how),
                },
          batch,
          (s) => ctx.out(`${tableName}.${fieldName}: ${s.seen} rows read, ${s.rewritten} encrypted`),
        );
        ctx.out(
          `done: ${stats.rewritten} value(s) encrypted, ${stats.seen - stats.rewritten - stats.changedMeanwhile} already encrypted or null` +
            (stats.changedMeanwhile > 0
              ? `, ${stats.changedMeanwhile} written by the API meanwhile (already encrypted)`
              : ''),
        );
        return EXIT.ok;
      },
      { write: true },
    );
  },
};
