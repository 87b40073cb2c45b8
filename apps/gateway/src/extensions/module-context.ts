import { SogomsError, type ErrorCode } from '@sogoms/common';
import type { AppModuleSpec } from '@sogoms/config';
import type { LogReporter, Row, SqlValue, TransactionResult, TransactionStatement } from '@sogoms/ipc';
import type { DbClient } from '../ipc/db.client.js';

/** The app's database, as a module may use it: SQL with `?` placeholders, values bound. */
export interface ModuleDb {
  query(sql: string, params?: SqlValue[]): Promise<Row[]>;
  queryOne(sql: string, params?: SqlValue[]): Promise<Row | null>;
  /** Several statements on one connection, all or nothing (`kind: 'write'` for INSERT/UPDATE/DELETE). */
  transaction(statements: TransactionStatement[]): Promise<TransactionResult>;
}

/** Entries in the app's log files (fire and forget: never blocks a request). */
export interface ModuleLog {
  event(kind: string, message: string, data?: Record<string, unknown>): void;
  error(kind: string, message: string, data?: Record<string, unknown>): void;
}

/**
 * What the gateway gives a module when it loads it for one app: the argument of a module
 * factory, or the `SOGOMS_MODULE_CONTEXT` provider of a Nest module.
 */
export interface ModuleContext {
  app: string;
  basePath: string;
  /** This module's name (app.yaml `name:`, or its file or package name). */
  module: string;
  /** `options:` of its entry in app.yaml, as written. */
  options: Readonly<Record<string, unknown>>;
  db: ModuleDb;
  log: ModuleLog;
  /**
   * An error with a stable code (docs/api.md) to throw from a hook or a route: it answers with
   * that code's status (`VALIDATION_FAILED` 400, `FORBIDDEN` 403, `NOT_FOUND` 404, `CONFLICT` 409).
   * Plain ESM modules have no import of @sogoms/common; this is their way to make one.
   */
  error(code: ErrorCode, message: string, details?: unknown): Error;
}

/** Nest injection tokens (strings, so a plain JS module needs no import of ours). */
export const SOGOMS_MODULE_CONTEXT = 'SOGOMS_MODULE_CONTEXT';
export const SOGOMS_HOOKS = 'SOGOMS_HOOKS';

export interface ModuleServices {
  db: DbClient;
  logs: LogReporter;
}

export const createModuleContext = (
  app: { name: string; basePath: string },
  spec: AppModuleSpec,
  services: ModuleServices,
): ModuleContext => {
  const { db, logs } = services;
  const name = app.name;
  return {
    app: name,
    basePath: app.basePath,
    module: spec.name,
    options: spec.options,
    db: {
      query: (sql, params = []) => db.query(name, sql, params),
      queryOne: (sql, params = []) => db.queryOne(name, sql, params),
      transaction: (statements) => db.transaction(name, statements),
    },
    log: {
      event: (kind, message, data) => logs.event(name, kind, message, { module: spec.name, ...data }),
      error: (kind, message, data) => logs.error(name, kind, message, { module: spec.name, ...data }),
    },
    error: (code, message, details) => new SogomsError(code, message, details),
  };
};
