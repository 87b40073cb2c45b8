import { describe, expect, it } from 'vitest';
import { isoDate, wireRow, wireValue } from './wire-shape.js';

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

  it('dates are formatted as toJSON does, at every edge', () => {
    const edges = [
      '0000-01-01T00:00:00.000Z',
      '0999-12-31T23:59:59.999Z',
      '1000-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '2024-02-29T23:59:58.123Z',
      '9999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
    ].map((text) => new Date(text));
    // And a sweep of instants with every month, day, hour and millisecond width.
    for (let t = 0; t < 400; t++)
      edges.push(new Date(Date.UTC(1990 + t, t % 12, (t % 28) + 1, t % 24, t % 60, t % 60, t)));
    for (const date of [...edges, new Date(Number.NaN)]) expect(isoDate(date)).toBe(date.toJSON());
    class Stamp extends Date {
      override toJSON(): string {
        return 'stamp';
      }
    }
    expect(isoDate(new Stamp(0))).toBe('stamp');
    class Plain extends Date {}
    expect(isoDate(new Plain(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it('a bigint is refused, as by the transport', () => {
    expect(() => wireValue({ n: 1n })).toThrow(TypeError);
  });
});
