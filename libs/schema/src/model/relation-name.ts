const MAX_NAME = 64;

/**
 * `base`, else `base_2`, `base_3`, ... — the first not in `taken` (field and relation names of
 * the table). Cut so the result stays a safe identifier (at most 64 characters).
 */
export const uniqueRelationName = (base: string, taken: ReadonlySet<string>): string => {
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '' : `_${n}`;
    const name = `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!taken.has(name)) return name;
  }
};
