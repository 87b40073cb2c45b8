import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadSakila,
  renameSakila,
  splitClientScript,
  TEST_MARIADB,
  unwrapVersionComments,
  type LoadedSakila,
} from './sakila-loader.js';

describe('renameSakila', () => {
  it('renames the schema statements and qualified names, not e-mail domains', () => {
    const sql = [
      'DROP SCHEMA IF EXISTS sakila;',
      'USE sakila;',
      'FROM sakila.film f',
      "('MARY.SMITH@sakilacustomer.org', '47 MySakila Drive')",
    ].join('\n');
    expect(renameSakila(sql, 'x_db')).toBe(
      [
        'DROP SCHEMA IF EXISTS x_db;',
        'USE x_db;',
        'FROM x_db.film f',
        "('MARY.SMITH@sakilacustomer.org', '47 MySakila Drive')",
      ].join('\n'),
    );
  });
});

describe('unwrapVersionComments', () => {
  it('keeps the text of MySQL version comments', () => {
    expect(unwrapVersionComments('a INT,\n  /*!50705 location GEOMETRY NOT NULL,*/\n  b INT')).toBe(
      'a INT,\n  location GEOMETRY NOT NULL,\n  b INT',
    );
    expect(unwrapVersionComments("(1,'x',/*!50705 0x0101,*/'2014')")).toBe("(1,'x',0x0101,'2014')");
    expect(unwrapVersionComments('/* plain comment */')).toBe('/* plain comment */');
  });
});

describe('splitClientScript', () => {
  it('keeps ordinary statements together and splits custom-delimited blocks', () => {
    const parts = splitClientScript(
      [
        'CREATE TABLE a (x INT);',
        'CREATE TABLE b (y INT);',
        'DELIMITER ;;',
        'CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN',
        '  INSERT INTO b VALUES (1);',
        'END;;',
        'DELIMITER ;',
        'SELECT 1;',
      ].join('\n'),
    );
    expect(parts).toEqual([
      'CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);',
      'CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN\n  INSERT INTO b VALUES (1);\nEND',
      'SELECT 1;',
    ]);
  });
});

describe('loadSakila (real MariaDB)', () => {
  let sakila: LoadedSakila | undefined;
  afterAll(async () => {
    await sakila?.drop();
  });

  it('loads tables, views, routines and rows into a private database, and drops it', async () => {
    sakila = await loadSakila({ area: 'scan' });
    expect(sakila.database).toMatch(/^sogoms_test_scan_[0-9a-f]{8}$/);
    const connection = await mysql.createConnection(TEST_MARIADB);
    try {
      const [kinds] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT TABLE_TYPE AS kind, COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? GROUP BY TABLE_TYPE ORDER BY kind',
        [sakila.database],
      );
      expect(kinds.map((row) => [String(row.kind), Number(row.n)])).toEqual([
        ['BASE TABLE', 16],
        ['VIEW', 7],
      ]);
      const [triggers] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
        [sakila.database],
      );
      expect(Number(triggers[0].n)).toBeGreaterThanOrEqual(3);
      const [rentals] = await connection.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${sakila.database}\`.rental`,
      );
      expect(Number(rentals[0].n)).toBe(16044);
      // MariaDB would skip the MySQL 5.7 version comments that hold address.location and its rows.
      const [location] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT COLUMN_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?',
        [sakila.database, 'address', 'location'],
      );
      expect(location.map((row) => [String(row.type), String(row.nullable)])).toEqual([['geometry', 'NO']]);
      const [points] = await connection.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n, SUM(ST_GeometryType(location) = 'POINT') AS points FROM \`${sakila.database}\`.address`,
      );
      expect([Number(points[0].n), Number(points[0].points)]).toEqual([603, 603]);
      // The view that names its database explicitly points at the copy.
      const [actors] = await connection.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${sakila.database}\`.actor_info`,
      );
      expect(Number(actors[0].n)).toBe(200);

      await sakila.drop();
      const [left] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [sakila.database],
      );
      expect(Number(left[0].n)).toBe(0);
    } finally {
      await connection.end();
    }
  });
});
