import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InitScriptError, type InitOutcome } from '../database-initializer.js';
import type { PoolSettings } from '../db-settings.js';

/**
 * Creates an app's SQLite file on first start. With `database.init` files, they run on a file
 * beside the target that is renamed into place only once every file succeeded: a crash or a
 * failing file never leaves a half-made database behind (MariaDB's initializer cannot promise
 * that). An existing file is left alone, whatever it holds.
 */
export const ensureSqliteFile = (settings: PoolSettings): InitOutcome => {
  const file = settings.file!;
  if (existsSync(file)) return 'existing';
  mkdirSync(dirname(file), { recursive: true });
  if (settings.init.length === 0) return 'created';
  const draft = `${file}.init-${process.pid}`;
  rmSync(draft, { force: true });
  const db = new Database(draft);
  try {
    db.pragma('foreign_keys = ON');
    for (const script of settings.init) {
      try {
        db.exec(readFileSync(script, 'utf8'));
      } catch (error) {
        throw new InitScriptError(settings.app, script, error);
      }
    }
    db.close();
    renameSync(draft, file);
    return 'created';
  } finally {
    if (db.open) db.close();
    rmSync(draft, { force: true });
  }
};
