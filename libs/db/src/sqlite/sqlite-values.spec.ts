import { describe, expect, it } from 'vitest';
import { decoderFor, expandListParams } from './sqlite-values.js';

describe('expandListParams', () => {
  it('gives each list element its own placeholder and binds booleans as 0/1', () => {
    expect(expandListParams('SELECT * FROM t WHERE a IN (?) AND b = ?', [[1, 2, 3], true])).toEqual({
      sql: 'SELECT * FROM t WHERE a IN (?, ?, ?) AND b = ?',
      values: [1, 2, 3, 1],
    });
  });

  it('leaves a ? inside quotes and comments alone', () => {
    expect(
      expandListParams('SELECT \'?\', "a?", `b?` -- ?\n FROM t /* ? */ WHERE x IN (?)', [['v', 'w']]),
    ).toEqual({
      sql: 'SELECT \'?\', "a?", `b?` -- ?\n FROM t /* ? */ WHERE x IN (?, ?)',
      values: ['v', 'w'],
    });
  });

  it('turns an empty list into NULL, which matches nothing', () => {
    expect(expandListParams('SELECT 1 WHERE 1 IN (?)', [[]])).toEqual({
      sql: 'SELECT 1 WHERE 1 IN (NULL)',
      values: [],
    });
  });
});

describe('decoderFor', () => {
  it('shapes values as the MariaDB engine does', () => {
    expect(decoderFor('DATETIME')('2026-12-03 10:11:12')).toBe('2026-12-03T10:11:12.000Z');
    expect(decoderFor('DECIMAL(10,2)')(12.5)).toBe('12.50');
    expect(decoderFor('INTEGER')(9007199254740993n)).toBe('9007199254740993');
    expect(decoderFor(null)(42n)).toBe(42);
    expect(decoderFor('TEXT')('2026-12-03 10:11:12')).toBe('2026-12-03 10:11:12');
  });
});
