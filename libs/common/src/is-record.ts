/** Whether a value is a plain mapping (a JSON/YAML object): an object, not null, not an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
