import type { FieldDef } from '@sogoms/schema';
import { describe, expect, it } from 'vitest';
import { compileFieldCodec, InvalidValueError, type FieldCodec } from './field-codec.js';

const codec = (overrides: Partial<FieldDef>): FieldCodec =>
  compileFieldCodec({
    name: 'f',
    type: 'int',
    unsigned: false,
    primary: false,
    auto: false,
    unique: false,
    required: false,
    nullable: false,
    hidden: false,
    readonly: false,
    ...overrides,
  });

const refuses = (run: () => unknown, message?: RegExp): void => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidValueError);
  if (message !== undefined) expect((caught as Error).message).toMatch(message);
};

describe('field codec: integers', () => {
  const cases: [string | undefined, boolean, bigint, bigint][] = [
    ['tinyint', false, -128n, 127n],
    ['tinyint', true, 0n, 255n],
    ['smallint', false, -32768n, 32767n],
    ['smallint', true, 0n, 65535n],
    ['mediumint', false, -8388608n, 8388607n],
    ['mediumint', true, 0n, 16777215n],
    [undefined, false, -2147483648n, 2147483647n],
    [undefined, true, 0n, 4294967295n],
  ];
  it.each(cases)('%s unsigned=%s takes %d..%d and nothing beyond', (dbType, unsigned, min, max) => {
    const c = codec({ type: 'int', dbType, unsigned });
    expect(c.fromJson(Number(min))).toBe(Number(min));
    expect(c.fromJson(Number(max))).toBe(Number(max));
    expect(c.fromText(String(max))).toBe(Number(max));
    refuses(() => c.fromJson(Number(min - 1n)), /between/);
    refuses(() => c.fromJson(Number(max + 1n)), /between/);
  });

  it('refuses fractions, strings in JSON and non-digits in text', () => {
    const c = codec({ type: 'int' });
    refuses(() => c.fromJson(1.5), /integer/);
    refuses(() => c.fromJson('12'), /integer/);
    refuses(() => c.fromText('12abc'), /integer/);
    refuses(() => c.fromText("1' OR '1'='1"), /integer/);
  });

  it('keeps bigint exact as strings, signed and unsigned', () => {
    const signed = codec({ type: 'bigint' });
    expect(signed.fromJson('-9223372036854775808')).toBe('-9223372036854775808');
    refuses(() => signed.fromJson('9223372036854775808'), /between/);
    const unsigned = codec({ type: 'bigint', unsigned: true });
    expect(unsigned.fromJson('18446744073709551615')).toBe('18446744073709551615');
    expect(unsigned.fromJson(42)).toBe('42');
    refuses(() => unsigned.fromJson(-1), /between/);
    refuses(() => unsigned.fromJson(2 ** 60), /integer/);
    expect(unsigned.toJson(42)).toBe('42');
    expect(unsigned.toJson('18446744073709551615')).toBe('18446744073709551615');
  });

  it('checks year ranges', () => {
    const c = codec({ type: 'year' });
    expect(c.fromJson(2006)).toBe(2006);
    refuses(() => c.fromJson(1900), /1901/);
    refuses(() => c.fromJson(2156), /2155/);
  });
});

describe('field codec: decimal, float, bool', () => {
  it('takes decimals as strings within precision and scale', () => {
    const c = codec({ type: 'decimal', precision: 4, scale: 2 });
    expect(c.fromJson('4.99')).toBe('4.99');
    expect(c.fromJson('99.99')).toBe('99.99');
    expect(c.fromJson('-0.5')).toBe('-0.5');
    expect(c.fromJson(4.5)).toBe('4.5');
    refuses(() => c.fromJson('100.00'), /2 digits before/);
    refuses(() => c.fromJson('1.999'), /2 decimal places/);
    refuses(() => c.fromJson('1e3'), /decimal/);
    refuses(() => c.fromJson(true), /decimal/);
    expect(c.toJson('4.99')).toBe('4.99');
  });

  it('refuses negative decimals and floats when unsigned', () => {
    refuses(
      () => codec({ type: 'decimal', precision: 5, scale: 2, unsigned: true }).fromJson('-1.00'),
      /negative/,
    );
    refuses(() => codec({ type: 'float', unsigned: true }).fromJson(-1), /negative/);
  });

  it('takes finite floats', () => {
    const c = codec({ type: 'float', dbType: 'double' });
    expect(c.fromJson(1.25)).toBe(1.25);
    expect(c.fromText('-2.5e3')).toBe(-2500);
    refuses(() => c.fromText('NaN'), /number/);
    refuses(() => c.fromJson('1.0'), /number/);
  });

  it('writes bools as 1/0 and reads them as true/false', () => {
    const c = codec({ type: 'bool' });
    expect(c.fromJson(true)).toBe(1);
    expect(c.fromJson(false)).toBe(0);
    expect(c.fromText('true')).toBe(1);
    expect(c.fromText('0')).toBe(0);
    refuses(() => c.fromJson('yes'), /true or false/);
    refuses(() => c.fromText('2'), /true or false/);
    expect(c.toJson(1)).toBe(true);
    expect(c.toJson(0)).toBe(false);
  });
});

describe('field codec: text types', () => {
  it('counts string length in characters', () => {
    const c = codec({ type: 'string', length: 3 });
    expect(c.fromJson('äöü')).toBe('äöü');
    expect(c.fromJson('😀😀😀')).toBe('😀😀😀');
    refuses(() => c.fromJson('abcd'), /at most 3 characters/);
    refuses(() => c.fromJson(12), /string/);
  });

  it('counts text size in bytes per db type', () => {
    const tiny = codec({ type: 'text', dbType: 'tinytext' });
    expect(tiny.fromJson('a'.repeat(255))).toHaveLength(255);
    refuses(() => tiny.fromJson('ä'.repeat(128)), /255 bytes/);
  });

  it('takes enum values only, case-sensitive', () => {
    const c = codec({ type: 'enum', values: ['G', 'PG', 'PG-13'] });
    expect(c.fromJson('PG-13')).toBe('PG-13');
    refuses(() => c.fromJson('pg'), /one of: G, PG, PG-13/);
    refuses(() => c.fromText('X'), /one of/);
  });

  it('takes sets as arrays of distinct members and writes them in declaration order', () => {
    const c = codec({ type: 'set', values: ['Trailers', 'Commentaries', 'Deleted Scenes'] });
    expect(c.fromJson(['Deleted Scenes', 'Trailers'])).toBe('Trailers,Deleted Scenes');
    expect(c.fromJson([])).toBe('');
    refuses(() => c.fromJson(['Bloopers']), /distinct values among/);
    refuses(() => c.fromJson(['Trailers', 'Trailers']), /distinct/);
    refuses(() => c.fromJson('Trailers'), /array/);
    expect(c.toJson('Trailers,Deleted Scenes')).toEqual(['Trailers', 'Deleted Scenes']);
    expect(c.toJson('')).toEqual([]);
  });
});

describe('field codec: dates and times', () => {
  it('takes calendar dates only', () => {
    const c = codec({ type: 'date' });
    expect(c.fromJson('2024-02-29')).toBe('2024-02-29');
    refuses(() => c.fromJson('2023-02-29'), /valid date/);
    refuses(() => c.fromJson('2023-13-01'), /valid date/);
    refuses(() => c.fromJson('01/02/2023'), /YYYY-MM-DD/);
    expect(c.toJson('2005-05-24')).toBe('2005-05-24');
  });

  it('turns ISO 8601 date-times into UTC YYYY-MM-DD HH:MM:SS for MariaDB', () => {
    const c = codec({ type: 'datetime' });
    expect(c.fromJson('2005-05-24T22:53:30Z')).toBe('2005-05-24 22:53:30');
    expect(c.fromJson('2005-05-24T22:53:30+02:00')).toBe('2005-05-24 20:53:30');
    expect(c.fromJson('2005-05-24T23:30:00-01:00')).toBe('2005-05-25 00:30:00');
    expect(c.fromJson('2005-05-24 22:53:30')).toBe('2005-05-24 22:53:30');
    expect(c.fromJson('2005-05-24T22:53:30.123Z')).toBe('2005-05-24 22:53:30.123');
    expect(c.fromJson('2005-05-24')).toBe('2005-05-24 00:00:00');
    refuses(() => c.fromJson('2005-05-24T25:00:00Z'), /time of day/);
    refuses(() => c.fromJson('yesterday'), /ISO 8601/);
    refuses(() => c.fromJson(1234567890), /ISO 8601/);
  });

  it('keeps TIMESTAMP within 1970..2038', () => {
    const c = codec({ type: 'datetime', dbType: 'timestamp' });
    expect(c.fromJson('2038-01-19T03:14:07Z')).toBe('2038-01-19 03:14:07');
    refuses(() => c.fromJson('2038-01-19T03:14:08Z'), /1970 and 2038/);
    refuses(() => c.fromJson('1969-12-31T23:59:59Z'), /1970 and 2038/);
  });

  it('reads DATETIME as ISO 8601 UTC', () => {
    const c = codec({ type: 'datetime' });
    expect(c.toJson('2006-02-15T04:34:33.000Z')).toBe('2006-02-15T04:34:33.000Z');
    expect(c.toJson(new Date('2006-02-15T04:34:33Z'))).toBe('2006-02-15T04:34:33.000Z');
  });

  it('takes times within MariaDB TIME range', () => {
    const c = codec({ type: 'time' });
    expect(c.fromJson('08:30:00')).toBe('08:30:00');
    expect(c.fromJson('-838:59:59')).toBe('-838:59:59');
    refuses(() => c.fromJson('839:00:00'), /HH:MM:SS/);
    refuses(() => c.fromJson('8h'), /HH:MM:SS/);
  });
});

describe('field codec: json, binary, geometry', () => {
  it('stores any JSON value as text and reads it back parsed', () => {
    const c = codec({ type: 'json', nullable: true });
    expect(c.fromJson({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(c.toJson('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
    expect(c.comparable).toBe(false);
    refuses(() => c.fromText('1'), /cannot be compared/);
  });

  it('takes base64 within the blob size and answers base64', () => {
    const c = codec({ type: 'binary', dbType: 'tinyblob' });
    const bytes = Buffer.from([0, 1, 2, 255]);
    expect(c.fromJson(bytes.toString('base64'))).toEqual(bytes);
    refuses(() => c.fromJson('not base64!'), /base64/);
    refuses(() => c.fromJson(Buffer.alloc(256).toString('base64')), /255 bytes/);
    expect(c.toJson({ type: 'Buffer', data: [0, 1, 2, 255] })).toBe('AAEC/w==');
    expect(c.toJson(bytes)).toBe('AAEC/w==');
  });

  it('takes WKT of the column geometry kind, written with ST_GeomFromText', () => {
    const any = codec({ type: 'geometry' });
    expect(any.placeholder).toBe('ST_GeomFromText(?)');
    expect(any.fromJson('POINT(1 2)')).toBe('POINT(1 2)');
    expect(any.fromJson('POLYGON((0 0,1 0,1 1,0 0))')).toBe('POLYGON((0 0,1 0,1 1,0 0))');
    refuses(() => any.fromJson('POINT(1 2); DROP TABLE x'), /WKT/);
    refuses(() => any.fromJson({ x: 1 }), /WKT/);
    const point = codec({ type: 'geometry', dbType: 'point' });
    refuses(() => point.fromJson('LINESTRING(0 0,1 1)'), /POINT/);
  });

  it('refuses null unless nullable and answers null for null', () => {
    refuses(() => codec({ type: 'string' }).fromJson(null), /must not be null/);
    expect(codec({ type: 'string', nullable: true }).fromJson(null)).toBeNull();
    expect(codec({ type: 'bool' }).toJson(null)).toBeNull();
  });
});
