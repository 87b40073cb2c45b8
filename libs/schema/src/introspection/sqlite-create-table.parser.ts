/**
 * What SQLite keeps only in a table's CREATE TABLE text (sqlite_schema.sql) and no pragma
 * reports: constraint names and CHECK clauses. A light reading, not an SQL parser:
 * the body is split at top-level commas (quotes and parentheses respected), and each part is
 * a column definition or a table constraint.
 */
export interface CreateTableFacts {
  /** CHECK clauses (the text inside the parentheses); a column's own check is named after it. */
  checks: { name: string; clause: string }[];
  /** `CONSTRAINT name UNIQUE (a, b)`: the name by the column list (`a,b`). */
  uniqueNames: Map<string, string>;
  /** `CONSTRAINT name FOREIGN KEY (a)` or `a ... CONSTRAINT name REFERENCES`: the name by column list. */
  foreignKeyNames: Map<string, string>;
}

const TABLE_CONSTRAINT = /^(constraint|primary|unique|check|foreign)\b/i;

/**
 * Walks `text` from `from`, calling `visit` for each character outside quotes ('', "", ``, [])
 * with the parenthesis depth before it; stops where `visit` returns true, giving that index (-1: none).
 */
const walk = (
  text: string,
  from: number,
  visit: (ch: string, i: number, depth: number) => boolean,
): number => {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
      continue;
    }
    if (visit(ch, i, depth)) return i;
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '[') quote = ']';
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
  }
  return -1;
};

/** Splits `text` at top-level commas, outside quotes and parentheses. */
const splitTopLevel = (text: string): string[] => {
  const parts: string[] = [];
  let start = 0;
  walk(text, 0, (ch, i, depth) => {
    if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
};

/** The index of the `)` that closes the `(` at `open`, outside quotes; -1 when none. */
const closingParen = (text: string, open: number): number =>
  walk(text, open, (ch, _i, depth) => ch === ')' && depth === 1);

/** Whether `at` is inside quotes or parentheses of `text`. */
const nested = (text: string, at: number): boolean =>
  walk(text, 0, (_ch, i, depth) => i === at && depth === 0) !== at;

/** `"a b"`, `` `a` ``, `[a]` or `a` → the bare name. */
export const unquoteName = (text: string): string => {
  const t = text.trim();
  if (t.length >= 2) {
    const first = t[0];
    const last = t[t.length - 1];
    if ((first === '"' || first === '`') && last === first)
      return t
        .slice(1, -1)
        .split(first + first)
        .join(first);
    if (first === '[' && last === ']') return t.slice(1, -1);
  }
  return t;
};

const NAME = String.raw`("(?:[^"]|"")*"|\x60(?:[^\x60]|\x60\x60)*\x60|\[[^\]]*\]|[A-Za-z_][\w$]*)`;
const LEADING_NAME = new RegExp(`^${NAME}`);
const CONSTRAINT_NAME = new RegExp(String.raw`\bconstraint\s+${NAME}\s*$`, 'i');

const columnList = (text: string): string =>
  splitTopLevel(text)
    .map((part) => unquoteName(part.replace(/\s+(asc|desc)\s*$/i, '').replace(/\s+collate\s+\S+$/i, '')))
    .join(',');

/** Every `KEYWORD (...)` in a definition, with the `CONSTRAINT name` right before it. */
const clauses = (definition: string, keyword: RegExp): { name?: string; body: string; end: number }[] => {
  const found: { name?: string; body: string; end: number }[] = [];
  const pattern = new RegExp(keyword.source, 'gi');
  for (let match = pattern.exec(definition); match !== null; match = pattern.exec(definition)) {
    if (nested(definition, match.index)) continue;
    const open = definition.indexOf('(', match.index + match[0].length - 1);
    const close = open < 0 ? -1 : closingParen(definition, open);
    if (close < 0) continue;
    const named = CONSTRAINT_NAME.exec(definition.slice(0, match.index));
    found.push({
      ...(named ? { name: unquoteName(named[1]) } : {}),
      body: definition.slice(open + 1, close).trim(),
      end: close + 1,
    });
  }
  return found;
};

/** Comments become a space; quoted text stays as it is. */
const withoutComments = (sql: string): string =>
  sql.replace(
    /('(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g,
    (part, quoted: string | undefined) => quoted ?? ' ',
  );

/** Reads a `CREATE TABLE name (...) [WITHOUT ROWID]` statement as sqlite_schema keeps it (comments too). */
export const readCreateTable = (written: string): CreateTableFacts => {
  const sql = withoutComments(written);
  const facts: CreateTableFacts = {
    checks: [],
    uniqueNames: new Map(),
    foreignKeyNames: new Map(),
  };
  const open = sql.indexOf('(');
  const close = open < 0 ? -1 : closingParen(sql, open);
  if (close < 0) return facts;
  let unnamedChecks = 0;
  for (const definition of splitTopLevel(sql.slice(open + 1, close))) {
    const tableLevel = TABLE_CONSTRAINT.test(definition);
    const column = tableLevel ? undefined : unquoteName(LEADING_NAME.exec(definition)?.[1] ?? '');
    for (const check of clauses(definition, /\bcheck\s*\(/)) {
      // MariaDB's names: a column's check after the column, a table's CONSTRAINT_1, _2 ...
      const name = check.name ?? column ?? `CONSTRAINT_${(unnamedChecks += 1)}`;
      facts.checks.push({ name, clause: check.body });
    }
    if (column !== undefined) {
      const reference = CONSTRAINT_NAME.exec(definition.split(/\breferences\b/i)[0] ?? '');
      if (/\breferences\b/i.test(definition) && reference)
        facts.foreignKeyNames.set(column, unquoteName(reference[1]));
      continue;
    }
    for (const unique of clauses(definition, /\bunique\s*\(/))
      if (unique.name !== undefined) facts.uniqueNames.set(columnList(unique.body), unique.name);
    for (const key of clauses(definition, /\bforeign\s+key\s*\(/))
      if (key.name !== undefined) facts.foreignKeyNames.set(columnList(key.body), key.name);
  }
  return facts;
};
