import { isRecord, runInSlices, runSteps, type Steps } from '@sogoms/common';
import { parseDocument } from 'yaml';

/**
 * The fast reading of a schema.yaml in the layout the generator writes (and most hand-written
 * files have): a top-level `tables:` line, then each table as a block under a header line
 * `  name:`. Each table block is parsed as a YAML document of its own and remembered by its
 * text, so a reload of a 1,000-table file parses only the tables that changed (the `yaml`
 * parser needs about a millisecond per table), and a table that another app's file has too
 * (apps of one shape) is parsed once per process. Anything outside that layout, and any text that
 * does not parse on its own, returns undefined: the caller then parses the whole document (with
 * line numbers for its findings), so the result never differs from a whole-document parse.
 */

/** A header of the tables section: two spaces, a plain identifier key, nothing after the colon. */
const TABLE_HEADER = /^ {2}([A-Za-z_][A-Za-z0-9_$]*):[ \t]*(?:#.*)?$/;
/** Plain keys that YAML reads as something else than their text. */
const NOT_TEXT_KEY = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
const TABLES_LINE = /^tables:[ \t]*(?:#.*)?$/;
/** Directives and document markers change how every part reads: whole-document parse. */
const DOCUMENT_SYNTAX = /^(?:%|---|\.\.\.)/m;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

const PARSE_OPTIONS = { uniqueKeys: true } as const;
const TO_JS_OPTIONS = { maxAliasCount: 100 } as const;

/** Parsed table blocks of the last reading of each file, by block text (values are never mutated). */
const lastChunks = new Map<string, Map<string, unknown>>();

interface SplitText {
  /** The text outside the tables section, with its `tables:` line (reads as `tables: null`). */
  head: string;
  tables: { name: string; text: string }[];
}

const split = (text: string): SplitText | undefined => {
  if (DOCUMENT_SYNTAX.test(text)) return undefined;
  const lines = text.split('\n');
  const start = lines.findIndex((line) => TABLES_LINE.test(line));
  if (start === -1 || lines.findIndex((line, i) => i > start && TABLES_LINE.test(line)) !== -1)
    return undefined;
  const tables: { name: string; lines: string[] }[] = [];
  const names = new Set<string>();
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end];
    if (BLANK_OR_COMMENT.test(line)) {
      tables.at(-1)?.lines.push(line);
      continue;
    }
    if (!line.startsWith(' ')) break; // the next top-level key
    if (!line.startsWith('  ')) return undefined;
    if (line[2] !== ' ') {
      const name = TABLE_HEADER.exec(line)?.[1];
      if (name === undefined || NOT_TEXT_KEY.test(name) || name === '__proto__' || names.has(name))
        return undefined;
      names.add(name);
      tables.push({ name, lines: [line] });
      continue;
    }
    const table = tables.at(-1);
    if (table === undefined) return undefined; // content before the first table header
    table.lines.push(line);
  }
  if (tables.length === 0) return undefined;
  return {
    head: [...lines.slice(0, start + 1), ...lines.slice(end)].join('\n'),
    tables: tables.map((t) => ({ name: t.name, text: t.lines.join('\n') })),
  };
};

/** One YAML document as plain data, or undefined when it has errors or too many aliases. */
const parsePart = (text: string): unknown => {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS(TO_JS_OPTIONS) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * A block read before: in this file's last reading, else in another file's (apps of one shape,
 * such as one shop per customer, share most of their tables' text). Values are never mutated.
 */
const knownBlock = (previous: ReadonlyMap<string, unknown>, text: string): unknown => {
  const own = previous.get(text);
  if (own !== undefined) return own;
  for (const chunks of lastChunks.values()) {
    const other = chunks.get(text);
    if (other !== undefined) return other;
  }
  return undefined;
};

/**
 * Reads table by table, yielding after each block it had to parse (not after remembered ones),
 * so a caller can give the event loop a turn between them (runInSlices). Returns the data or
 * undefined (see readSchemaDataByTable).
 */
export function* readSchemaDataSteps(text: string, file: string): Steps<Record<string, unknown> | undefined> {
  const parts = split(text);
  if (parts === undefined) return undefined;
  const head = parsePart(parts.head);
  if (!isRecord(head) || head.tables !== null) return undefined;
  const previous = lastChunks.get(file) ?? new Map<string, unknown>();
  const current = new Map<string, unknown>();
  const tables: Record<string, unknown> = {};
  for (const { name, text: block } of parts.tables) {
    let parsed = current.get(block) ?? knownBlock(previous, block);
    if (parsed === undefined) {
      parsed = parsePart(block);
      // One key, the header's: anything else is not the layout this reading assumes.
      if (!isRecord(parsed) || Object.keys(parsed).length !== 1 || !(name in parsed)) return undefined;
      yield;
    }
    current.set(block, parsed);
    tables[name] = (parsed as Record<string, unknown>)[name];
  }
  lastChunks.set(file, current);
  return { ...head, tables };
}

/**
 * The plain data of a schema.yaml (what `parseDocument(text).toJS()` gives), read table by
 * table with the blocks of the file's last reading reused; undefined when the whole document
 * must be parsed instead. `file` keys the remembered blocks. The returned data shares
 * remembered objects: read it, never change it.
 */
export const readSchemaDataByTable = (text: string, file: string): Record<string, unknown> | undefined =>
  runSteps(readSchemaDataSteps(text, file));

/** readSchemaDataByTable with event-loop turns between slices of parsing (see runInSlices). */
export const readSchemaDataByTableInSlices = (
  text: string,
  file: string,
  sliceMs?: number,
): Promise<Record<string, unknown> | undefined> => runInSlices(readSchemaDataSteps(text, file), sliceMs);

/** Forgets the remembered table blocks (tests; a process that no longer reads schemas). */
export const forgetSchemaChunks = (): void => lastChunks.clear();

/** The table blocks remembered from the last reading of `file`: block text → parsed data. */
export const rememberedSchemaChunks = (file: string): ReadonlyMap<string, unknown> | undefined =>
  lastChunks.get(file);

/**
 * Seeds the memory of `file` with blocks parsed earlier (the on-disk chunk cache), unless it
 * already holds a reading of its own. The values must be what parsePart gives for their text.
 */
export const rememberSchemaChunks = (file: string, chunks: ReadonlyMap<string, unknown>): boolean => {
  if (lastChunks.has(file)) return false;
  lastChunks.set(file, new Map(chunks));
  return true;
};
