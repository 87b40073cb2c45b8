import type { Row } from '@sogoms/ipc';
import type { CompiledField } from './compiled-table.js';

/** A driver row as the API shows it: only the given fields, each in its JSON form. */
export const serializeRow = (fields: readonly CompiledField[], row: Row): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field.name] = field.codec.toJson(row[field.name], row);
  return out;
};
