import type Database from 'better-sqlite3';
import { SogomsError } from '@sogoms/common';
import type { SqliteBindable } from './sqlite-values.js';

interface ForeignKeyViolation {
  table: string;
  parent: string;
  fkid: number;
}

interface ForeignKeyColumn {
  id: number;
  table: string;
  from: string;
  to: string | null;
}

/** `DELETE FROM t ...`: the table and the rest (the WHERE that picks the rows). */
const DELETE_FROM = /^\s*DELETE\s+FROM\s+(?:`(\w+)`|"(\w+)"|\[(\w+)\]|(\w+))/i;
/** The table an INSERT or UPDATE writes: only its own keys can fail there. */
const CHILD_TARGET =
  /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?)\s+(?:`(\w+)`|"(\w+)"|\[(\w+)\]|(\w+))/i;

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const nameOf = (match: RegExpExecArray): string => match[1] ?? match[2] ?? match[3] ?? match[4];

/** SQLite's "FOREIGN KEY constraint failed": FOREIGNKEY, or TRIGGER for an ON DELETE RESTRICT. */
const isForeignKeyFailure = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === 'SQLITE_CONSTRAINT_TRIGGER') &&
    (error as Error).message === 'FOREIGN KEY constraint failed'
  );
};

const foreignKeys = (db: Database.Database, table: string): ForeignKeyColumn[] =>
  db.pragma(`foreign_key_list(${quoted(table)})`) as ForeignKeyColumn[];

const constraintError = (message: string, table: string, field: string, references: string): SogomsError =>
  new SogomsError('CONSTRAINT', message, { table, field, references });

/** The first child key still pointing at a row the DELETE would remove. */
const referencingChild = (
  db: Database.Database,
  sql: string,
  values: readonly SqliteBindable[],
): SogomsError | undefined => {
  const match = DELETE_FROM.exec(sql);
  if (match === null) return undefined;
  const parent = nameOf(match);
  const rest = sql.slice(match[0].length);
  const primaryKey = (db.pragma(`table_info(${quoted(parent)})`) as { name: string; pk: number }[])
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  for (const child of tables) {
    const keys = new Map<number, ForeignKeyColumn[]>();
    for (const column of foreignKeys(db, child)) {
      if (column.table.toLowerCase() !== parent.toLowerCase()) continue;
      keys.set(column.id, [...(keys.get(column.id) ?? []), column]);
    }
    for (const columns of keys.values()) {
      const from = columns.map((c) => quoted(c.from)).join(', ');
      const to = columns.map((c, i) => quoted(c.to ?? primaryKey[i])).join(', ');
      const probe = `SELECT 1 FROM ${quoted(child)} WHERE (${from}) IN (SELECT ${to} FROM ${quoted(parent)}${rest}) LIMIT 1`;
      if (db.prepare(probe).get(...values) !== undefined) {
        const field = columns.map((c) => c.from).join(',');
        return constraintError(`Row is still referenced by ${child}.${field}`, child, field, parent);
      }
    }
  }
  return undefined;
};

/** Runs the write again in a savepoint with the check deferred, and asks which key broke. */
const missingParent = (
  db: Database.Database,
  sql: string,
  values: readonly SqliteBindable[],
): SogomsError | undefined => {
  const match = CHILD_TARGET.exec(sql);
  if (match === null) return undefined;
  const target = nameOf(match);
  let violation: ForeignKeyViolation | undefined;
  db.exec('SAVEPOINT sogoms_fk_diagnosis');
  try {
    db.pragma('defer_foreign_keys = ON');
    db.prepare(sql).run(...values);
    violation = (db.pragma(`foreign_key_check(${quoted(target)})`) as ForeignKeyViolation[])[0];
  } finally {
    db.exec('ROLLBACK TO sogoms_fk_diagnosis; RELEASE sogoms_fk_diagnosis');
    db.pragma('defer_foreign_keys = OFF');
  }
  if (violation === undefined) return undefined;
  const found = violation;
  const field = foreignKeys(db, found.table)
    .filter((c) => c.id === found.fkid)
    .map((c) => c.from)
    .join(',');
  return constraintError(
    `Referenced ${found.parent} does not exist (${found.table}.${field})`,
    found.table,
    field,
    found.parent,
  );
};

/**
 * SQLite says only "FOREIGN KEY constraint failed". MariaDB names the key, and clients get that
 * name (`Referenced projects does not exist (tasks.project_id)`), so on this rare path the key is
 * found: for a DELETE, by probing the child keys that point at the rows it picks; for an INSERT
 * or UPDATE, by running it again in a savepoint with the check deferred and asking
 * `foreign_key_check` (the savepoint is rolled back: nothing of it stays). Anything else thrown,
 * or a failure that cannot be pinned down, comes back unchanged.
 */
export const diagnoseForeignKey = (
  db: Database.Database,
  error: unknown,
  sql: string,
  values: readonly SqliteBindable[],
): unknown => {
  if (!isForeignKeyFailure(error)) return error;
  try {
    return (
      (/^\s*DELETE/i.test(sql) ? referencingChild(db, sql, values) : missingParent(db, sql, values)) ?? error
    );
  } catch {
    return error;
  }
};
