import { describe, expect, it } from 'vitest';
import { wktType } from './wkt.validator.js';

describe('wktType', () => {
  it.each([
    ['POINT(1 2)', 'POINT'],
    ['point ( -1.5e3 +2 )', 'POINT'],
    ['LINESTRING(0 0, 1 1, 2 3)', 'LINESTRING'],
    ['POLYGON((0 0,4 0,4 4,0 0),(1 1,2 1,2 2,1 1))', 'POLYGON'],
    ['MULTIPOINT(1 2, 3 4)', 'MULTIPOINT'],
    ['MULTIPOINT((1 2),(3 4))', 'MULTIPOINT'],
    ['MULTILINESTRING((0 0,1 1),(2 2,3 3))', 'MULTILINESTRING'],
    ['MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))', 'MULTIPOLYGON'],
    ['GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))', 'GEOMETRYCOLLECTION'],
    ['GEOMETRYCOLLECTION EMPTY', 'GEOMETRYCOLLECTION'],
  ])('accepts %s', (text, type) => {
    expect(wktType(text)).toBe(type);
  });

  it.each([
    'POINT(1)',
    'POINT(1 2 3)',
    'POINT(1 2, 3 4)',
    'POINT EMPTY',
    'LINESTRING(0 0)',
    'POLYGON((0 0,1 1))',
    'POLYGON(0 0,1 0,1 1,0 0)',
    'POINT(1e400 2)',
    'POINT(a b)',
    'POINT(1 2)) OR 1=1 --',
    'POINT(1 2); DROP TABLE x',
    'CIRCLE(1 2)',
    'constructor(1 2)',
    '',
  ])('refuses %s', (text) => {
    expect(wktType(text)).toBeNull();
  });
});
