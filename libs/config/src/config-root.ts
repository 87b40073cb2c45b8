import { resolve } from 'node:path';

/**
 * The config root a service was started with: `--config <dir>` or `--config=<dir>`, default
 * `./config`, made absolute against the working directory.
 */
export const configRootFromArgs = (argv: readonly string[] = process.argv.slice(2)): string => {
  let root = './config';
  argv.forEach((arg, i) => {
    if (arg === '--config' && argv[i + 1] !== undefined) root = argv[i + 1];
    else if (arg.startsWith('--config=')) root = arg.slice('--config='.length);
  });
  return resolve(root);
};
