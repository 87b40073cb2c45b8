import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigProblem } from './config-error.js';
import type { ParsedConfigFiles } from './parsed-config-files.js';
import { formatKeyPath, INVALID, type KeyPath, type Schema } from './schema/config-schema.js';

/** What every file of one configuration shares. */
export interface ConfigScope {
  /** Absolute config root (the folder holding sogoms.yaml). */
  root: string;
  /** Environment for `*_env` keys. */
  env: Readonly<Record<string, string | undefined>>;
  /** Problems of every file read in this scope; the caller throws one ConfigError at the end. */
  problems: ConfigProblem[];
  /** Parses to reuse for unchanged files, and where new ones are kept (parsed-config-files.ts). */
  parsed?: ParsedConfigFiles;
}

export type ReportProblem = (path: KeyPath, expected: string, got?: string) => void;

export interface ConfigFileRead<T> {
  /** Undefined when the file has problems (they are in `scope.problems`). */
  value: T | undefined;
  /** Reports a further problem located in this file (e.g. a rule across files). */
  report: ReportProblem;
}

/** The path shown in messages: relative to the config root's parent, e.g. `config/apps/prokov/app.yaml`. */
export const displayPath = (root: string, file: string): string => relative(dirname(root), file);

/** The 1-based line of the deepest node on `path` that exists in the document. */
const lineOf = (doc: Document, lines: LineCounter, path: KeyPath): number | undefined => {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range != null) return lines.linePos(node.range[0]).line;
  }
  return undefined;
};

/**
 * Reads one YAML file against its schema. Every problem goes to `scope.problems` with the file,
 * line, key and expectation; a syntax error stops at the syntax. A missing `optional` file reads
 * as an empty one, so its defaults apply.
 */
export const readConfigFile = <T>(
  file: string,
  schema: Schema<T>,
  scope: ConfigScope,
  options: { optional?: boolean } = {},
): ConfigFileRead<T> => {
  const shown = displayPath(scope.root, file);
  let source: string | undefined;
  let doc: Document | undefined;
  const lines = new LineCounter();
  const parse = (text: string): Document =>
    parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const report: ReportProblem = (path, expected, got) => {
    // Data from the cache has no document: it is parsed now, only to name the line.
    if (doc === undefined && source !== undefined) doc = parse(source);
    scope.problems.push({
      file: shown,
      line: doc === undefined ? undefined : lineOf(doc, lines, path),
      key: formatKeyPath(path),
      expected,
      ...(got === undefined ? {} : { got }),
    });
  };

  let data: unknown;
  if (!existsSync(file) && options.optional === true) data = undefined;
  else {
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      report([], 'a readable file', (error as NodeJS.ErrnoException).code ?? 'an unreadable file');
      return { value: undefined, report };
    }
    const known = scope.parsed?.lookup(file, source);
    if (known !== undefined) return readValue(file, schema, scope, known.data, report);
    const parsed = parse(source);
    if (parsed.errors.length > 0) {
      for (const error of parsed.errors) {
        scope.problems.push({
          file: shown,
          line: error.linePos?.[0].line,
          key: '(yaml)',
          expected: 'valid YAML',
          got: error.message.split('\n')[0].replace(/ at line \d+, column (\d+):?$/, ' (column $1)'),
        });
      }
      return { value: undefined, report };
    }
    doc = parsed;
    data = parsed.toJS({ maxAliasCount: 100 }) ?? undefined;
    scope.parsed?.remember(file, source, data);
  }
  return readValue(file, schema, scope, data, report);
};

const readValue = <T>(
  file: string,
  schema: Schema<T>,
  scope: ConfigScope,
  data: unknown,
  report: ReportProblem,
): ConfigFileRead<T> => {
  const value = schema.read(data, [], { root: scope.root, dir: dirname(file), env: scope.env, report });
  return { value: value === INVALID ? undefined : value, report };
};
