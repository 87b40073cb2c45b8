import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { markSchemaChunksSaved, restoreSchemaChunks } from './schema-chunk-cache.js';
import { SCHEMA_FILE } from './schema-file.loader.js';
import { readSchemaDataByTable, rememberedSchemaChunks, rememberSchemaChunks } from './schema-yaml.chunks.js';

/**
 * A schema read block by block in one thread and handed to another: the gateway parses its apps'
 * schema.yaml files in a worker thread while its main thread loads Nest and the rest (both take
 * about a second for 1,000 tables on a cold start), then adopts the parsed blocks; its own
 * reading then finds every block remembered.
 */

/** The parsed blocks of one schema file, as one thread hands them to another (structured clone). */
export interface SchemaChunks {
  /** The reader's name of the file (relative to the display root). */
  file: string;
  chunks: [string, unknown][];
}

/**
 * Reads `{appDir}/schema.yaml` block by block, as a first reading would (the cache restored,
 * unknown blocks parsed), and returns its blocks for another thread; undefined when there is no
 * readable file in the block layout (the serving thread then reads it the usual way and reports
 * what is wrong). The caller writes the cache (saveSchemaChunks) once it has handed them over.
 */
export const preloadSchemaChunks = (
  appDir: string,
  displayRoot: string,
  cachePath: string,
): SchemaChunks | undefined => {
  const path = join(appDir, SCHEMA_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const file = relative(displayRoot, path);
  restoreSchemaChunks(file, cachePath);
  if (readSchemaDataByTable(text, file) === undefined) return undefined;
  const remembered = rememberedSchemaChunks(file);
  return remembered === undefined ? undefined : { file, chunks: [...remembered] };
};

/**
 * Seeds this thread's block memory with blocks another thread read (preloadSchemaChunks) and
 * writes to the cache. Nothing happens when this thread has read the file itself.
 */
export const adoptSchemaChunks = ({ file, chunks }: SchemaChunks): boolean => {
  if (!rememberSchemaChunks(file, new Map(chunks))) return false;
  markSchemaChunksSaved(file);
  return true;
};
