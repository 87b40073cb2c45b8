/** Levenshtein distance, to suggest the key or name a typo meant. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
};

/** ` (did you mean title?)` when a known name is at most two edits away or a prefix, else ``. */
export const didYouMean = (given: string, known: readonly string[]): string => {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const [a, b] = [given.toLowerCase(), name.toLowerCase()];
    // `integer` → int, `bool` → boolean: a prefix is as good a hint as a typo.
    const prefix = Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a));
    const d = prefix ? 1 : distance(a, b);
    if (d <= 2 && (best === undefined || d < best.d)) best = { name, d };
  }
  return best === undefined ? '' : ` (did you mean ${best.name}?)`;
};
