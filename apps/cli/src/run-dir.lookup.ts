import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CliFailure } from './cli-context.js';

/**
 * {run_dir} from {configRoot}/sogoms.yaml (default ../run, relative to the config root). Reads
 * just that key, not the whole validated configuration: `sogoms status` must answer fast, and
 * must work while an app's files are broken.
 */
export const runDirOf = (configRoot: string): string => {
  const file = join(configRoot, 'sogoms.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return resolve(configRoot, '../run');
    throw new CliFailure(`cannot read ${file} (${code})`);
  }
  let settings: unknown;
  try {
    settings = parse(text) ?? {};
  } catch (error) {
    throw new CliFailure(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const runDir =
    typeof settings === 'object' && settings !== null && 'run_dir' in settings ? settings.run_dir : '../run';
  if (typeof runDir !== 'string' || runDir === '') throw new CliFailure(`${file}: run_dir: expected a path`);
  return resolve(configRoot, runDir);
};
