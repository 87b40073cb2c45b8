import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import mysql from 'mysql2/promise';
import type { PoolSettings } from './db-settings.js';

/** An init SQL file failed (or could not be read); the half-made database has been dropped. */
export class InitScriptError extends Error {
  constructor(
    readonly app: string,
    readonly file: string,
    cause: unknown,
  ) {
    super(`Init script ${basename(file)} of app '${app}' failed`, { cause });
    this.name = 'InitScriptError';
  }
}

const isConnectionLost = (error: unknown): boolean =>
  error instanceof Error && (error as { fatal?: boolean }).fatal === true;

export type InitOutcome = 'created' | 'existing';

/**
 * Creates an app's database on first start: when `database.init` lists SQL files and the
 * database does not exist, CREATE DATABASE (utf8mb4) and run the files in order, each as one
 * multi-statement batch. A database that exists is left alone, whatever it holds.
 */
export class DatabaseInitializer {
  /**
   * Connection failures propagate as they are (the caller retries later); a failing file
   * drops the database and throws InitScriptError.
   */
  async ensure(settings: PoolSettings): Promise<InitOutcome> {
    if (settings.init.length === 0) return 'existing';
    const connection = await mysql.createConnection({
      host: settings.host,
      port: settings.port,
      user: settings.user,
      password: settings.password,
      connectTimeout: settings.connectTimeoutMs,
      charset: 'utf8mb4_unicode_ci',
      multipleStatements: true,
    });
    try {
      const [found] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [settings.database],
      );
      if (found.length > 0) return 'existing';
      const database = mysql.escapeId(settings.database);
      await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await connection.query(`USE ${database}`);
      for (const file of settings.init) {
        try {
          await connection.query(await readFile(file, 'utf8'));
        } catch (error) {
          await connection.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
          // A lost connection is not the file's fault: let the caller retry later.
          if (isConnectionLost(error)) throw error;
          throw new InitScriptError(settings.app, file, error);
        }
      }
      return 'created';
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }
}
