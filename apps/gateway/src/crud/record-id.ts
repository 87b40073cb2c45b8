import { SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import type { CompiledTable } from './compiled-table.js';
import { InvalidValueError } from './field-codec.js';

/**
 * The `{id}` of a path as key values: one value per key field, in key order, joined by commas
 * (`/film_actor/1,23`). A value that does not fit its key field is a 400, like any bad value.
 */
export const parseRecordId = (table: CompiledTable, id: string): SqlValue[] => {
  const parts = table.key.length === 1 ? [id] : id.split(',');
  const keyNames = table.key.map((k) => k.name).join(',');
  if (parts.length !== table.key.length)
    throw new SogomsError('VALIDATION_FAILED', 'Invalid id', {
      id: [`must be ${table.key.length} values in key order: ${keyNames}`],
    });
  try {
    return table.key.map((field, i) => field.codec.fromText(parts[i]));
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    throw new SogomsError('VALIDATION_FAILED', 'Invalid id', { id: [`${keyNames}: ${error.message}`] });
  }
};
