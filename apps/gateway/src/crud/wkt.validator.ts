/**
 * Checks that text is 2D WKT MariaDB will parse. MariaDB's ST_GeomFromText answers NULL for
 * malformed text, which a nullable column would store silently: refusing it here makes a bad
 * value a 400, never a quiet NULL. Returns the geometry type (upper case), or null when invalid.
 */
export const wktType = (text: string): string | null => {
  const tokens = text.toUpperCase().match(/[A-Z]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:E[-+]?\d+)?|[(),]|\S/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (expected?: string): string | null => {
    const token = tokens[i];
    if (token === undefined || (expected !== undefined && token !== expected)) return null;
    i += 1;
    return token;
  };
  const isNumber = (token: string | undefined): boolean =>
    token !== undefined &&
    /^[-+]?(\d+\.?\d*|\.\d+)(E[-+]?\d+)?$/.test(token) &&
    Number.isFinite(Number(token));
  const coord = (): boolean => {
    if (!isNumber(peek())) return false;
    i += 1;
    if (!isNumber(peek())) return false;
    i += 1;
    return true;
  };
  /** `( item , item ... )` with at least `min` items. */
  const list = (item: () => boolean, min: number): boolean => {
    if (take('(') === null) return false;
    let count = 0;
    do {
      if (!item()) return false;
      count += 1;
    } while (take(',') !== null);
    return take(')') !== null && count >= min;
  };
  const coords = (min: number) => (): boolean => list(coord, min);
  const ring = coords(4);
  const body: Record<string, () => boolean> = {
    POINT: () => take('(') !== null && coord() && take(')') !== null,
    LINESTRING: coords(2),
    POLYGON: () => list(ring, 1),
    // MULTIPOINT takes `(1 2, 3 4)` and `((1 2), (3 4))`.
    MULTIPOINT: () => list(() => (peek() === '(' ? list(coord, 1) : coord()), 1),
    MULTILINESTRING: () => list(coords(2), 1),
    MULTIPOLYGON: () => list(() => list(ring, 1), 1),
    GEOMETRYCOLLECTION: () => list(geometry, 1),
  };
  function geometry(): boolean {
    const type = take();
    if (type === null || !Object.hasOwn(body, type)) return false;
    // MariaDB reads EMPTY only for a collection.
    if (type === 'GEOMETRYCOLLECTION' && take('EMPTY') !== null) return true;
    return body[type]();
  }
  const type = tokens[0] ?? null;
  if (!geometry() || i !== tokens.length) return null;
  return type;
};
