import { ConfigError } from '@sogoms/config';

/**
 * One thing wrong in a schema.yaml. `key` is the path in the file (`tables.film.fields.title.length`);
 * `table`/`field` name the table and field (or relation, index, filter) it is about, when it is
 * about one. `message` is the whole human text (`length: expected ..., got ...`), `expected`/`got`
 * its parts, used to turn findings into a ConfigError.
 */
export interface SchemaFinding {
  file: string;
  line?: number;
  table?: string;
  field?: string;
  key: string;
  message: string;
  expected?: string;
  got?: string;
}

/** A location in the YAML document: keys and list indexes, e.g. `['tables', 'film', 'crud', 2]`. */
export type SchemaPath = readonly (string | number)[];

/** The line of a path in the file, when there is a file to look in. */
export type LineOf = (path: SchemaPath) => number | undefined;

export const formatSchemaPath = (path: SchemaPath): string => {
  const text = path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`),
    '',
  );
  return text === '' ? '(top level)' : text;
};

/** Collects findings for one file; the table, field and line are worked out from the path. */
export class FindingCollector {
  readonly findings: SchemaFinding[] = [];

  constructor(
    private readonly file: string,
    private readonly lineOf: LineOf = () => undefined,
  ) {}

  /** `expected` reads after the word "expected": `a positive integer`. */
  report(path: SchemaPath, expected: string, got?: string): void {
    const table = path[0] === 'tables' && typeof path[1] === 'string' ? path[1] : undefined;
    const subject =
      table !== undefined && typeof path[2] === 'string' && typeof path[3] === 'string' ? path[3] : undefined;
    const rest = path.slice(subject === undefined ? (table === undefined ? 0 : 2) : 4);
    const lead = rest.length === 0 ? '' : `${formatSchemaPath(rest)}: `;
    this.findings.push({
      file: this.file,
      line: this.lineOf(path),
      ...(table === undefined ? {} : { table }),
      ...(subject === undefined ? {} : { field: subject }),
      key: formatSchemaPath(path),
      message: `${lead}expected ${expected}${got === undefined ? '' : `, got ${got}`}`,
      expected,
      ...(got === undefined ? {} : { got }),
    });
  }
}

/** How a value appears in a message: strings quoted and cut, others by kind. */
export const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
};

/** One ConfigError listing every finding (file, line, key path, what was expected). */
export const findingsToConfigError = (findings: readonly SchemaFinding[]): ConfigError =>
  new ConfigError(
    findings.map((f) => ({
      file: f.file,
      ...(f.line === undefined ? {} : { line: f.line }),
      key: f.key,
      expected: f.expected ?? f.message,
      ...(f.got === undefined ? {} : { got: f.got }),
    })),
  );

/** Findings in file order (line, then key), so output reads top to bottom. */
export const sortFindings = (findings: readonly SchemaFinding[]): SchemaFinding[] =>
  [...findings].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || compareText(a.key, b.key),
  );

/** Code-point order: the same on every machine, unlike localeCompare. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
