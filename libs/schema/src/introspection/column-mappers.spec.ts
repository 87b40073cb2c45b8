import { describe, expect, it } from 'vitest';
import { mapColumnDefault, mapOnUpdate } from './column-default.mapper.js';
import { parseEnumValues, unquoteLiteral } from './column-type.mapper.js';

describe('parseEnumValues', () => {
  it('reads quoted values with doubled quotes, commas and backslash escapes', () => {
    expect(parseEnumValues("enum('G','PG','PG-13','R','NC-17')")).toEqual(['G', 'PG', 'PG-13', 'R', 'NC-17']);
    expect(parseEnumValues("enum('a','b,c','d''e','back\\\\slash','tab\\there','')")).toEqual([
      'a',
      'b,c',
      "d'e",
      'back\\slash',
      'tab\there',
      '',
    ]);
    expect(parseEnumValues("set('x','y z')")).toEqual(['x', 'y z']);
    expect(parseEnumValues("enum('with (parens)',')')")).toEqual(['with (parens)', ')']);
  });
});

describe('unquoteLiteral', () => {
  it('unquotes one literal and refuses anything else', () => {
    expect(unquoteLiteral("'it''s, ok'")).toBe("it's, ok");
    expect(unquoteLiteral("''")).toBe('');
    expect(unquoteLiteral("'a','b'")).toBeUndefined();
    expect(unquoteLiteral('current_timestamp()')).toBeUndefined();
    expect(unquoteLiteral("b'101'")).toBeUndefined();
  });
});

describe('mapColumnDefault', () => {
  it('maps MariaDB COLUMN_DEFAULT spellings to the model', () => {
    expect(mapColumnDefault(null, 'int')).toBeUndefined();
    expect(mapColumnDefault('NULL', 'string')).toBeUndefined();
    expect(mapColumnDefault("'NULL'", 'string')).toBe('NULL');
    expect(mapColumnDefault("'G'", 'enum')).toBe('G');
    expect(mapColumnDefault("''", 'string')).toBe('');
    expect(mapColumnDefault('3', 'int')).toBe(3);
    expect(mapColumnDefault('-5', 'int')).toBe(-5);
    expect(mapColumnDefault('4.99', 'decimal')).toBe('4.99');
    expect(mapColumnDefault('1.500', 'decimal')).toBe('1.500');
    expect(mapColumnDefault('1', 'bool')).toBe(true);
    expect(mapColumnDefault('0', 'bool')).toBe(false);
    expect(mapColumnDefault('10000000000', 'float')).toBe(1e10);
    expect(mapColumnDefault('9007199254740993', 'bigint')).toBe('9007199254740993');
    expect(mapColumnDefault('42', 'bigint')).toBe(42);
    expect(mapColumnDefault('2006', 'year')).toBe(2006);
    expect(mapColumnDefault("'2020-01-01'", 'date')).toBe('2020-01-01');
    expect(mapColumnDefault('current_timestamp()', 'datetime')).toEqual({ sql: 'current_timestamp()' });
    expect(mapColumnDefault('curdate()', 'date')).toEqual({ sql: 'curdate()' });
    expect(mapColumnDefault("b'101'", 'bool')).toEqual({ sql: "b'101'" });
    expect(mapColumnDefault('(1 + 2)', 'int')).toEqual({ sql: '(1 + 2)' });
  });
});

describe('mapOnUpdate', () => {
  it('reads the ON UPDATE expression from EXTRA', () => {
    expect(mapOnUpdate('on update current_timestamp()')).toEqual({ sql: 'current_timestamp()' });
    expect(mapOnUpdate('on update current_timestamp(3)')).toEqual({ sql: 'current_timestamp(3)' });
    expect(mapOnUpdate('auto_increment')).toBeUndefined();
    expect(mapOnUpdate('')).toBeUndefined();
  });
});
