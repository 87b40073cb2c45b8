import { describe, expect, it } from 'vitest';
import { wireRow, wireValue } from './wire-shape.js';

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('wire shape: what JSON.stringify → JSON.parse gives, without the text', () => {
  const values: Record<string, unknown> = {
    text: 'héllo ☃',
    int: 42,
    negativeZero: -0,
    nan: Number.NaN,
    infinity: Number.POSITIVE_INFINITY,
    yes: true,
    nothing: null,
    date: new Date('2024-02-29T23:59:58.123Z'),
    invalidDate: new Date('nope'),
    buffer: Buffer.from([0, 255, 16]),
    point: { x: 1, y: 2 },
    nested: { list: [1, undefined, new Date(0), { deep: Buffer.from('a') }], gone: undefined },
    withToJson: { toJSON: () => 'custom' },
    list: ['a', Number.NaN, null],
  };

  it.each(Object.entries(values))('%s', (_name, value) => {
    expect(wireValue({ value })).toStrictEqual(viaJson({ value }));
  });

  it('a row in place: undefined and functions dropped, the rest converted', () => {
    const row: Record<string, unknown> = { ...values, missing: undefined, fn: () => 1 };
    const expected = viaJson(row);
    expect(wireRow(row)).toStrictEqual(expected);
  });

  it('a bigint is refused, as by the transport', () => {
    expect(() => wireValue({ n: 1n })).toThrow(TypeError);
  });
});
