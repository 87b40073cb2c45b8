import type { DbProbeRequest, DbProbeResult } from '@sogoms/ipc';
import { readDatabase } from '@sogoms/schema';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { probeConnectError, probeStatementError } from './probe-error.mapper.js';

/** Long enough for a server across a network, short enough for a form waiting on "test connection". */
export const PROBE_CONNECT_TIMEOUT_MS = 5_000;

/**
 * `db.probe`: one connection of its own (no pool, outside the connection budget: it lives for one
 * request, and the database is no app's yet), statements in order, the catalog if asked, closed
 * whatever happens. Errors are mapped by probe-error.mapper.ts.
 */
export const probeDatabase = async (request: DbProbeRequest): Promise<DbProbeResult> => {
  const { database } = request;
  let connection: Connection;
  try {
    connection = await mysql.createConnection({
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.name,
      connectTimeout: PROBE_CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
    });
  } catch (error) {
    throw probeConnectError(error, database);
  }
  // A socket error after connecting rejects the statement under way; without a listener it would also be thrown.
  connection.on('error', () => undefined);
  try {
    let version: string;
    try {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
      version = String(rows[0]?.version ?? '');
    } catch (error) {
      throw probeConnectError(error, database);
    }
    for (const [index, sql] of (request.statements ?? []).entries()) {
      try {
        await connection.query(sql);
      } catch (error) {
        throw probeStatementError(error, database, index);
      }
    }
    if (request.introspect !== true) return { ok: true, server_version: version };
    try {
      const raw = await readDatabase(
        async (sql, params) => (await connection.query<RowDataPacket[]>(sql, params))[0],
        database.name,
      );
      return { ok: true, server_version: version, raw };
    } catch (error) {
      throw probeStatementError(error, database, undefined);
    }
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
};
