import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure } from './cli-context.js';
import { withAppDatabase } from './database-connection.js';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const database = `sogoms_test_scan_${randomBytes(4).toString('hex')}`;

describe('withAppDatabase (real MariaDB)', () => {
  beforeAll(async () => {
    const admin = await mysql.createConnection(SERVER);
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.end();
  });
  afterAll(async () => {
    const admin = await mysql.createConnection(SERVER);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  it('runs queries and writes on the app database in UTC, and closes the connection', async () => {
    let connection: mysql.Connection | undefined;
    const result = await withAppDatabase(
      { name: 'demo', database: { ...SERVER, name: database } },
      async (db) => {
        expect(db.name).toBe(database);
        expect(await db.execute('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))')).toEqual(
          {
            affectedRows: 0,
            insertId: 0,
          },
        );
        expect(await db.execute('INSERT INTO t (v) VALUES (?)', ['a'])).toEqual({
          affectedRows: 1,
          insertId: 1,
        });
        const zone = await db.query('SELECT @@session.time_zone AS zone, DATABASE() AS db');
        connection = db.connection;
        return { rows: await db.query('SELECT id, v FROM t WHERE v = ?', ['a']), zone };
      },
    );
    expect(result.rows).toEqual([{ id: 1, v: 'a' }]);
    expect(result.zone).toEqual([{ zone: '+00:00', db: database }]);
    await expect(connection!.query('SELECT 1')).rejects.toThrow(/closed state/);
  });

  it('turns a failed connection into a CliFailure naming the database and the driver code', async () => {
    const attempt = withAppDatabase(
      { name: 'demo', database: { ...SERVER, name: `${database}_missing` } },
      () => Promise.resolve(1),
    );
    await expect(attempt).rejects.toBeInstanceOf(CliFailure);
    await expect(attempt).rejects.toThrow(
      /database 'sogoms_test_scan_[0-9a-f]+_missing' of app 'demo' at 127\.0\.0\.1:3306 .*ER_BAD_DB_ERROR/,
    );
  });
});
