import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SchemaDef } from '../schema.types.js';
import { restoreSchemaChunks, saveSchemaChunks } from './schema-chunk-cache.js';
import { findingsToConfigError } from './schema-finding.js';
import { parseSchemaYaml, parseSchemaYamlInSlices } from './schema-yaml.parser.js';

/** The file name of an app's schema, in its folder. */
export const SCHEMA_FILE = 'schema.yaml';

/**
 * Reads `{appDir}/schema.yaml`: null when the app has none, the validated model otherwise. Any
 * finding throws one ConfigError naming file (relative to `displayRoot`), line, key path and
 * what was expected, so a reload keeps the schema it has.
 */
export const loadSchemaFile = (appDir: string, displayRoot: string): SchemaDef | null => {
  const path = join(appDir, SCHEMA_FILE);
  if (!existsSync(path)) return null;
  const shown = relative(displayRoot, path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw findingsToConfigError([
      {
        file: shown,
        key: '(file)',
        message: `expected a readable file, got ${code}`,
        expected: 'a readable file',
        got: code,
      },
    ]);
  }
  const { schema, findings } = parseSchemaYaml(text, shown);
  if (findings.length > 0 || schema === null) throw findingsToConfigError(findings);
  return schema;
};

export interface SchemaLoadOptions {
  /**
   * A file for the parsed table blocks (schema-chunk-cache.ts): read before the first reading of
   * the schema in this process, written after a reading that parsed blocks it did not hold.
   */
  chunkCache?: string;
}

/**
 * loadSchemaFile for a server that keeps serving while it reads: the file is read, parsed and
 * validated in slices with event-loop turns between them (parseSchemaYamlInSlices). Same result
 * and errors.
 */
export const loadSchemaFileInSlices = async (
  appDir: string,
  displayRoot: string,
  options: SchemaLoadOptions = {},
): Promise<SchemaDef | null> => {
  const path = join(appDir, SCHEMA_FILE);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  // Missing or unreadable: the synchronous reading says which, in its own words.
  if (text === undefined) return loadSchemaFile(appDir, displayRoot);
  const shown = relative(displayRoot, path);
  const { chunkCache } = options;
  if (chunkCache !== undefined) restoreSchemaChunks(shown, chunkCache);
  const { schema, findings } = await parseSchemaYamlInSlices(text, shown);
  if (findings.length > 0 || schema === null) throw findingsToConfigError(findings);
  // Not awaited (the file is written while the caller goes on); nothing to write after a reading
  // that parsed nothing new. A cache that cannot be written only costs the next start its parsing.
  if (chunkCache !== undefined) void saveSchemaChunks(shown, chunkCache).catch(() => undefined);
  return schema;
};
