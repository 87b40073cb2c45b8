/** How far a migration got: what ran, the statement that failed and why, what never ran. */
export interface MigrationRun {
  applied: string[];
  failed?: { statement: string; error: string };
  notApplied: string[];
}

/** Runs one statement on the connection the whole migration uses (session settings carry over). */
export type StatementExecutor = (sql: string) => Promise<unknown>;

/** The driver's code and message: the operator of `migrate --apply` needs them to fix the cause. */
const errorText = (error: unknown): string => {
  if (typeof error === 'object' && error !== null) {
    const { code, sqlMessage, message } = error as {
      code?: unknown;
      sqlMessage?: unknown;
      message?: unknown;
    };
    const text = typeof sqlMessage === 'string' ? sqlMessage : typeof message === 'string' ? message : '';
    return typeof code === 'string' ? `${code}: ${text}` : text;
  }
  return String(error);
};

/**
 * Runs the statements in order on one connection and stops at the first failure. MariaDB commits
 * each DDL statement by itself, so there is no transaction to roll back: the result says exactly
 * what was applied and what was not (SQLite's DDL is run the same way, one statement at a time). The MariaDB session drops NO_BACKSLASH_ESCAPES first (the literals
 * are written for the default mode) and turns foreign key checks back on after a failure.
 */
export const applyMigration = async (
  statements: readonly string[],
  execute: StatementExecutor,
  engine: 'mariadb' | 'sqlite' = 'mariadb',
): Promise<MigrationRun> => {
  const mariadb = engine === 'mariadb';
  if (mariadb)
    await execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
  const applied: string[] = [];
  for (const [i, statement] of statements.entries()) {
    try {
      await execute(statement);
    } catch (error) {
      await execute(mariadb ? 'SET FOREIGN_KEY_CHECKS = 1' : 'PRAGMA foreign_keys = ON').catch(
        () => undefined,
      );
      return { applied, failed: { statement, error: errorText(error) }, notApplied: statements.slice(i + 1) };
    }
    applied.push(statement);
  }
  return { applied, notApplied: [] };
};
