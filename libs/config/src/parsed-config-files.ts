import { isJsonSafe, isRecord } from '@sogoms/common';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The YAML parser's output for config files, by path and exact text. The supervisor's preflight
 * parses sogoms.yaml and every app.yaml and writes what it read to
 * `{run_dir}/cache/config-files.json`; the services it starts find that file in
 * `SOGOMS_PARSED_CONFIG` and skip the parser for every file whose text is unchanged (with 50
 * apps the parse was about half of each process's config reading at start, docs/bench.md "50
 * apps: the start"). Only the parsed data is shared: every process still validates each file
 * against its schema with its own environment, and a file whose text differs is parsed as if
 * there were no cache. The file holds what the app.yaml files hold; it is written mode 0600.
 */
export const PARSED_CONFIG_ENV = 'SOGOMS_PARSED_CONFIG';

/** Where the supervisor writes it. */
export const parsedConfigPath = (runDir: string): string => join(runDir, 'cache', 'config-files.json');

const FORMAT = 1;
const YAML_VERSION = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;

interface ParsedFile {
  text: string;
  data: unknown;
}

export class ParsedConfigFiles {
  private readonly files = new Map<string, ParsedFile>();

  /** The cache named by `SOGOMS_PARSED_CONFIG`; undefined when unset, and empty when missing, foreign or unreadable. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): ParsedConfigFiles | undefined {
    const path = env[PARSED_CONFIG_ENV];
    if (path === undefined || path === '') return undefined;
    const cache = new ParsedConfigFiles();
    try {
      const stored: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isRecord(stored) || stored.format !== FORMAT || stored.yaml !== YAML_VERSION) return cache;
      if (!isRecord(stored.files)) return cache;
      for (const [file, entry] of Object.entries(stored.files)) {
        // Values from JSON.parse are JSON by construction: only the entry's shape is checked.
        if (isRecord(entry) && typeof entry.text === 'string' && 'data' in entry) {
          cache.files.set(file, { text: entry.text, data: entry.data });
        }
      }
    } catch {
      // No cache to use: every file is parsed.
    }
    return cache;
  }

  /** The parsed data of `file` when it was read with exactly this text. */
  lookup(file: string, text: string): { data: unknown } | undefined {
    const known = this.files.get(file);
    return known !== undefined && known.text === text ? { data: known.data } : undefined;
  }

  /** Keeps a parse for the processes started next; data JSON would alter (`.inf`, `-0`) is left out. */
  remember(file: string, text: string, data: unknown): void {
    if (isJsonSafe(data)) this.files.set(file, { text, data });
  }

  /** Writes the file through a rename (a reader never sees half of it); false when it could not. */
  save(path: string): boolean {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      const files = Object.fromEntries(this.files);
      writeFileSync(temporary, JSON.stringify({ format: FORMAT, yaml: YAML_VERSION, files }), {
        mode: 0o600,
      });
      renameSync(temporary, path);
      return true;
    } catch {
      rmSync(temporary, { force: true });
      return false;
    }
  }
}
