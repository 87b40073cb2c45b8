import Database from 'better-sqlite3';
import { sqliteFileOf, type TestEngine } from './test-config.factory.js';

/** The engines the generated-API suites run on (describe.each): same schema.yaml, same answers. */
export const ENGINES: readonly TestEngine[] = ['mariadb', 'sqlite'];

/** Runs SQL on an SQLite test app's file behind the db service's back (WAL: it may stay open). */
export const execOnSqlite = (configRoot: string, app: string, sql: string, params: unknown[] = []): void => {
  const db = new Database(sqliteFileOf(configRoot, app));
  try {
    if (params.length === 0) db.exec(sql);
    else db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
};
