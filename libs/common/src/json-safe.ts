/**
 * Whether JSON gives this value back unchanged, for caches of parsed YAML: YAML's `.inf`, `.nan`
 * and `-0` would come back as null or 0, and anything but plain data not at all.
 */
export const isJsonSafe = (value: unknown): boolean => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonSafe);
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      return Object.values(value).every(isJsonSafe);
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return false;
  }
};
