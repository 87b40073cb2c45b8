import { resolve } from 'node:path';

export interface ParsedArgv {
  words: string[];
  flags: Record<string, string | true>;
  configRoot: string;
}

/** Splits argv into positional words and `--flags`; `--config` picks the config root. */
export const parseArgv = (argv: readonly string[]): ParsedArgv => {
  const words: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq !== -1) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (
      argv[i + 1] !== undefined &&
      !argv[i + 1].startsWith('--') &&
      !BOOLEAN_FLAGS.has(arg.slice(2))
    ) {
      flags[arg.slice(2)] = argv[i + 1]!;
      i += 1;
    } else {
      flags[arg.slice(2)] = true;
    }
  }
  const config = flags.config;
  return { words, flags, configRoot: resolve(typeof config === 'string' ? config : './config') };
};

/** Flags that never take a value, so `--json sakila` keeps `sakila` positional. */
const BOOLEAN_FLAGS = new Set(['json', 'apply', 'allow-drop', 'help', 'dry-run', 'add-role-column']);
