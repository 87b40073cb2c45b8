import { describe, expect, it } from 'vitest';
import { isJsonSafe } from './json-safe.js';

describe('isJsonSafe', () => {
  it('accepts plain data that JSON gives back unchanged', () => {
    expect(isJsonSafe({ a: [1, 'x', true, null, { b: 2.5 }], c: Object.create(null) as object })).toBe(true);
  });

  it('refuses what JSON would change or drop', () => {
    const values: [string, unknown][] = [
      ['Infinity', Infinity],
      ['NaN', NaN],
      ['-0', -0],
      ['undefined', undefined],
      ['a bigint', 1n],
      ['a Date', new Date(0)],
      ['an undefined value', { a: undefined }],
      ['a function', [() => 1]],
    ];
    for (const [what, value] of values) expect(isJsonSafe(value), what).toBe(false);
  });
});
