import { join } from 'node:path';
import { CRYPT_KEYS_FILE, createKeyringFile, KeyringFileError } from '@sogoms/crypt';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand, type CliContext } from '../cli-context.js';

/**
 * `sogoms secrets generate <app>`: writes secrets/crypt.keys (mode 600) with a first encryption
 * key and the blind-index key. Refuses to overwrite: values written with the old keys would no
 * longer decrypt.
 */
const generateKeys = (ctx: CliContext<object>): number => {
  const { app } = findApp(ctx.configRoot, ctx.args[0]);
  const file = join(app.dir, CRYPT_KEYS_FILE);
  try {
    createKeyringFile(file, app.name);
  } catch (error) {
    if (error instanceof KeyringFileError) throw new CliFailure(error.message);
    throw error;
  }
  ctx.out(`wrote ${file} (mode 600): keep a copy somewhere safe, data encrypted with it is lost without it`);
  return EXIT.ok;
};

// The executor turns a throw into the rejection the CLI reports.
export const secretsGenerateCommand: CliCommand<object> = {
  run: (ctx) => new Promise((resolve) => resolve(generateKeys(ctx))),
};
