import { quoteIdentifier, type FieldDef, type TableDef } from '@sogoms/schema';
import { CliFailure } from './cli-context.js';
import type { AppDatabase } from './database-connection.js';

/** What a pass over one column did. */
export interface RewriteStats {
  /** Rows read. */
  seen: number;
  /** Rows written anew. */
  rewritten: number;
  /** Rows the API wrote between our read and our write: left as the API wrote them. */
  changedMeanwhile: number;
  /** Values that could not be taken (a rotation meeting a value that is no envelope of ours). */
  unreadable: number;
}

/**
 * The new stored value (and blind index, when the column has one) of a stored value; null: it
 * is done already; `unreadable`: it cannot be taken (counted, left as it is).
 */
export type Rewrite = (stored: string) => { stored: string; index?: string } | null | 'unreadable';

export interface RewriteTarget {
  table: TableDef;
  field: FieldDef;
  /** The blind-index column written with the value, or null. */
  indexColumn: string | null;
}

/** The single-column key a pass walks by; other keys are refused (the cursor needs one ordered column). */
const keyOf = (table: TableDef): string => {
  if (table.primary.length !== 1)
    throw new CliFailure(`${table.name} has no one-column primary key: its rows cannot be walked in batches`);
  return table.primary[0];
};

/**
 * Walks one encrypted column in key order, `batch` rows a transaction, and rewrites the values
 * `rewrite` says to, each with `UPDATE … WHERE key = ? AND column = <the value read>`: a row the
 * API changed meanwhile is left as the API wrote it (its value is already the new kind). Nothing
 * is kept between runs: a pass is resumable because `rewrite` skips what is already done.
 */
export const rewriteColumn = async (
  db: AppDatabase,
  target: RewriteTarget,
  rewrite: Rewrite,
  batch: number,
  progress: (stats: RewriteStats) => void,
): Promise<RewriteStats> => {
  const key = keyOf(target.table);
  const table = quoteIdentifier(target.table.name);
  const k = quoteIdentifier(key);
  const column = quoteIdentifier(target.field.name);
  const sets =
    target.indexColumn === null
      ? `${column} = ?`
      : `${column} = ?, ${quoteIdentifier(target.indexColumn)} = ?`;
  const update = `UPDATE ${table} SET ${sets} WHERE ${k} = ? AND ${column} = ?`;
  const stats: RewriteStats = { seen: 0, rewritten: 0, changedMeanwhile: 0, unreadable: 0 };
  let cursor: unknown = null;
  for (;;) {
    const where = cursor === null ? '' : ` WHERE ${k} > ?`;
    const rows = await db.query(
      `SELECT ${k} AS k, ${column} AS v FROM ${table}${where} ORDER BY ${k} LIMIT ?`,
      cursor === null ? [batch] : [cursor, batch],
    );
    if (rows.length === 0) return stats;
    await db.runStatement(db.engine === 'sqlite' ? 'BEGIN' : 'START TRANSACTION');
    try {
      for (const row of rows) {
        stats.seen += 1;
        if (typeof row.v !== 'string') continue;
        const next = rewrite(row.v);
        if (next === null) continue;
        if (next === 'unreadable') {
          stats.unreadable += 1;
          continue;
        }
        const params =
          target.indexColumn === null
            ? [next.stored, row.k, row.v]
            : [next.stored, next.index ?? null, row.k, row.v];
        const { affectedRows } = await db.execute(update, params);
        if (affectedRows === 1) stats.rewritten += 1;
        else stats.changedMeanwhile += 1;
      }
      await db.runStatement('COMMIT');
    } catch (error) {
      await db.runStatement('ROLLBACK').catch(() => undefined);
      throw error;
    }
    cursor = rows[rows.length - 1].k;
    progress(stats);
  }
};
