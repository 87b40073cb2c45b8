import { describe, expect, it } from 'vitest';
import { MARIADB_DIALECT, SQLITE_DIALECT } from './sql-dialect.js';

describe('updateToDefault', () => {
  it('is DEFAULT on MariaDB', () => {
    expect(MARIADB_DIALECT.updateToDefault({ sql: 'current_timestamp()' })).toEqual({
      sql: 'DEFAULT',
      params: [],
    });
  });

  it("is the schema's default on SQLite: MariaDB clock functions in SQLite's words, literals bound", () => {
    expect(SQLITE_DIALECT.updateToDefault({ sql: 'current_timestamp()' }).sql).toBe('CURRENT_TIMESTAMP');
    expect(SQLITE_DIALECT.updateToDefault({ sql: 'NOW(3)' }).sql).toBe('CURRENT_TIMESTAMP');
    expect(SQLITE_DIALECT.updateToDefault({ sql: 'curdate()' }).sql).toBe('CURRENT_DATE');
    expect(SQLITE_DIALECT.updateToDefault({ sql: "lower('A')" }).sql).toBe("lower('A')");
    expect(SQLITE_DIALECT.updateToDefault(true)).toEqual({ sql: '?', params: [1] });
    expect(SQLITE_DIALECT.updateToDefault('todo')).toEqual({ sql: '?', params: ['todo'] });
    expect(SQLITE_DIALECT.updateToDefault(undefined)).toEqual({ sql: 'NULL', params: [] });
  });
});

describe('defaultExpression', () => {
  it("leaves the clock bare and parenthesises anything else, in each engine's words", () => {
    expect(MARIADB_DIALECT.defaultExpression('current_timestamp(3)')).toBe('current_timestamp(3)');
    expect(MARIADB_DIALECT.defaultExpression('curdate()')).toBe('(curdate())');
    expect(SQLITE_DIALECT.defaultExpression('current_timestamp()')).toBe('CURRENT_TIMESTAMP');
    expect(SQLITE_DIALECT.defaultExpression('curdate()')).toBe('CURRENT_DATE');
    expect(SQLITE_DIALECT.defaultExpression("lower('A')")).toBe("(lower('A'))");
  });
});

describe('table definitions', () => {
  it('spells an auto-increment key, a long text and the table options per engine', () => {
    expect(MARIADB_DIALECT.autoIncrementKey).toBe('BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY');
    expect(SQLITE_DIALECT.autoIncrementKey).toBe('INTEGER PRIMARY KEY AUTOINCREMENT');
    expect([MARIADB_DIALECT.longText, SQLITE_DIALECT.longText]).toEqual(['LONGTEXT', 'TEXT']);
    expect(MARIADB_DIALECT.tableOptions).toMatch(/ENGINE=InnoDB/);
    expect(SQLITE_DIALECT.tableOptions).toBe('');
  });
});
