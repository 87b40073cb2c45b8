import { isJsonSafe } from '@sogoms/common';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { rememberedSchemaChunks, rememberSchemaChunks } from './schema-yaml.chunks.js';

/**
 * The parsed table blocks of a schema.yaml on disk, so that a process starting with an unchanged
 * (or partly changed) file skips the YAML parser for the blocks it already knows: the `yaml`
 * library needs about a second for 1,000 tables, JSON.parse of the cache some milliseconds.
 * Only the YAML parser's output is cached; SOGOMS still reads, defaults and validates every table
 * at every start, so a change of SOGOMS's own rules never meets a stale result. The cache names
 * the `yaml` version that produced it: another version (or format) is ignored and overwritten.
 */

/** Where an app's cache lives: `{run_dir}/cache/{app}.schema-chunks.json` (gateway and supervisor share it). */
export const schemaChunkCachePath = (runDir: string, app: string): string =>
  join(runDir, 'cache', `${app}.schema-chunks.json`);

const FORMAT = 1;
const YAML_VERSION = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;

/** What the cache of each file holds (as restored or last written), to skip writing it again. */
const saved = new Map<string, ReadonlyMap<string, unknown>>();

interface CacheFile {
  format: number;
  yaml: string;
  /** The schema file the blocks were read from, as the reader names it. */
  file: string;
  chunks: [string, unknown][];
}

const isCacheFile = (value: unknown, file: string): value is CacheFile => {
  if (typeof value !== 'object' || value === null) return false;
  const cache = value as Partial<CacheFile>;
  return (
    cache.format === FORMAT &&
    cache.yaml === YAML_VERSION &&
    cache.file === file &&
    Array.isArray(cache.chunks) &&
    // The values came out of JSON.parse: JSON by construction, only the pairs' shape is checked.
    cache.chunks.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string')
  );
};

/**
 * Seeds the block memory of `file` (the reader's name of a schema.yaml) from `cachePath`, unless
 * this process has read that file already. A missing, unreadable or foreign cache is ignored.
 * Returns how many blocks it brought in.
 */
export const restoreSchemaChunks = (file: string, cachePath: string): number => {
  if (rememberedSchemaChunks(file) !== undefined) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(cachePath, 'utf8'));
  } catch {
    return 0;
  }
  if (!isCacheFile(parsed, file)) return 0;
  if (!rememberSchemaChunks(file, new Map(parsed.chunks))) return 0;
  saved.set(file, rememberedSchemaChunks(file)!);
  return parsed.chunks.length;
};

/** The same blocks with the same (remembered, never copied) values. */
const sameBlocks = (a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown> | undefined): boolean =>
  b !== undefined && a.size === b.size && [...a].every(([text, value]) => b.get(text) === value);

/**
 * Writes the blocks remembered for `file` to `cachePath` (whole, through a temporary file and a
 * rename, so a reader never sees half a cache). Returns how many blocks it wrote; 0 and nothing
 * written when nothing is remembered or the cache already holds exactly these blocks.
 */
export const saveSchemaChunks = async (file: string, cachePath: string): Promise<number> => {
  const remembered = rememberedSchemaChunks(file);
  if (remembered === undefined || sameBlocks(remembered, saved.get(file))) return 0;
  saved.set(file, remembered);
  const chunks = [...remembered].filter(([, value]) => isJsonSafe(value));
  const cache: CacheFile = { format: FORMAT, yaml: YAML_VERSION, file, chunks };
  const temporary = `${cachePath}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(cachePath), { recursive: true });
    await writeFile(temporary, JSON.stringify(cache));
    await rename(temporary, cachePath);
  } catch (error) {
    await rm(temporary, { force: true });
    saved.delete(file);
    throw error;
  }
  return chunks.length;
};
