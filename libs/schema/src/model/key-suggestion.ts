import { editDistance } from '@sogoms/common';

/** ` (did you mean title?)` when a known name is at most two edits away or a prefix, else ``. */
export const didYouMean = (given: string, known: readonly string[]): string => {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const [a, b] = [given.toLowerCase(), name.toLowerCase()];
    // `integer` → int, `bool` → boolean: a prefix is as good a hint as a typo.
    const prefix = Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a));
    const d = prefix ? 1 : editDistance(a, b);
    if (d <= 2 && (best === undefined || d < best.d)) best = { name, d };
  }
  return best === undefined ? '' : ` (did you mean ${best.name}?)`;
};
