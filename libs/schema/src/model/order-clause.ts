/** One column of a default sort. */
export interface OrderPair {
  field: string;
  direction: 'asc' | 'desc';
}

const ORDER_ITEM = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i;

/**
 * Parses `position asc, id desc` (direction optional, default asc, any case). Returns undefined
 * when an item is not `name [asc|desc]`; field names are checked against the table elsewhere.
 */
export const parseOrderClause = (text: string): OrderPair[] | undefined => {
  const pairs: OrderPair[] = [];
  for (const item of text.split(',')) {
    const match = ORDER_ITEM.exec(item.trim());
    if (match === null) return undefined;
    pairs.push({ field: match[1], direction: match[2]?.toLowerCase() === 'desc' ? 'desc' : 'asc' });
  }
  return pairs;
};

/** The clause as schema.yaml writes it: `title asc, film_id desc`. */
export const formatOrderClause = (pairs: readonly OrderPair[]): string =>
  pairs.map((p) => `${p.field} ${p.direction}`).join(', ');
