import { dialectOf, type SqlDialect } from '@sogoms/db/dialect';
import type { AppRuntime } from './app-runtime.js';

/**
 * Runs a piece of set-up (a service table's CREATE TABLE IF NOT EXISTS) once per process and
 * app database: an app keeps its database across reloads, and a changed database section gets
 * the set-up again. A failure (database down) is tried again by the next call.
 */
export class OncePerAppDatabase {
  private readonly done = new Map<string, Promise<void>>();

  constructor(private readonly work: (app: string, dialect: SqlDialect) => Promise<void>) {}

  run(app: AppRuntime): Promise<void> {
    const { name, database } = app.config;
    const key = `${name}\n${database.driver}\n${database.name}\n${database.file ?? ''}`;
    let done = this.done.get(key);
    if (done === undefined) {
      done = this.work(name, dialectOf(database.driver));
      done.catch(() => this.done.delete(key));
      this.done.set(key, done);
    }
    return done;
  }
}
