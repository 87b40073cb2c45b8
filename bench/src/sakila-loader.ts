import { loadSakilaInto, SAKILA_TABLES } from '@sogoms/schema/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection, type MysqlServer } from './mysql-server.js';

const SAKILA_VIEWS = 7;
/** Sakila's own payments end here; the write scenario adds and deletes rows above it. */
export const SAKILA_LAST_PAYMENT_ID = 16049;
const RENTALS = 16044;

export interface SakilaLoad {
  database: string;
  /** False when a complete copy was already there. */
  loaded: boolean;
  ms: number;
}

const isComplete = (server: MysqlServer, database: string): Promise<boolean> =>
  withConnection(server, async (connection) => {
    const [tables] = await connection.query<RowDataPacket[]>(
      `SELECT TABLE_TYPE AS type, COUNT(*) AS n FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = ? AND (TABLE_NAME IN (?) OR TABLE_TYPE = 'VIEW') GROUP BY TABLE_TYPE`,
      [database, SAKILA_TABLES],
    );
    const count = (type: string): number => Number(tables.find((row) => row.type === type)?.n ?? 0);
    if (count('BASE TABLE') !== SAKILA_TABLES.length || count('VIEW') < SAKILA_VIEWS) return false;
    // address.location: copies made by the bench's former loader lack it (MariaDB skipped the
    // MySQL version comment that holds it), so such a copy is loaded again.
    const [location] = await connection.query<RowDataPacket[]>(
      `SELECT 1 FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'address' AND COLUMN_NAME = 'location' AND DATA_TYPE = 'geometry'`,
      [database],
    );
    if (location.length === 0) return false;
    const [rentals] = await connection.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM \`${database}\`.rental`,
    );
    return Number(rentals[0].n) === RENTALS;
  });

/**
 * Loads the Sakila dump into `database` unless a complete copy is there (with address.location,
 * which @sogoms/schema's loader brings in), through that loader: the same copy as the tests'.
 */
export const ensureSakila = async (server: MysqlServer, database: string): Promise<SakilaLoad> => {
  const started = Date.now();
  if (await isComplete(server, database)) {
    await removeBenchPayments(server, database);
    return { database, loaded: false, ms: Date.now() - started };
  }
  await loadSakilaInto(database, { server });
  if (!(await isComplete(server, database)))
    throw new Error(`loading Sakila into ${database} left it incomplete`);
  return { database, loaded: true, ms: Date.now() - started };
};

/**
 * Deletes payments the write scenario left behind (an interrupted run) and resets the counter:
 * payment_id is a SMALLINT UNSIGNED, so without the reset a few runs would exhaust it.
 */
export const removeBenchPayments = (server: MysqlServer, database: string): Promise<void> =>
  withConnection(
    server,
    async (connection) => {
      await connection.query('DELETE FROM payment WHERE payment_id > ?', [SAKILA_LAST_PAYMENT_ID]);
      await connection.query(`ALTER TABLE payment AUTO_INCREMENT = ${SAKILA_LAST_PAYMENT_ID + 1}`);
    },
    database,
  );
