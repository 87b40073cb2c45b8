import type { FieldDef } from '@sogoms/schema';

/** Inclusive range of an integer column, as bigint so BIGINT UNSIGNED stays exact. */
export interface IntegerRange {
  min: bigint;
  max: bigint;
}

const SIGNED_BITS: Record<string, number> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, bigint: 64 };

/** The range MariaDB accepts for an `int`/`bigint` field, from its db_type and unsigned flag. */
export const integerRange = (field: FieldDef): IntegerRange => {
  const dbType = field.dbType ?? (field.type === 'bigint' ? 'bigint' : 'int');
  const bits = SIGNED_BITS[dbType] ?? SIGNED_BITS[field.type === 'bigint' ? 'bigint' : 'int'];
  const size = 1n << BigInt(bits);
  return field.unsigned ? { min: 0n, max: size - 1n } : { min: -(size / 2n), max: size / 2n - 1n };
};

const TEXT_BYTES: Record<string, number> = {
  tinytext: 255,
  text: 65_535,
  mediumtext: 16_777_215,
  longtext: 4_294_967_295,
};

const BLOB_BYTES: Record<string, number> = {
  tinyblob: 255,
  blob: 65_535,
  mediumblob: 16_777_215,
  longblob: 4_294_967_295,
};

/** Largest UTF-8 byte count of a `text` field (MariaDB counts TEXT sizes in bytes). */
export const textByteLimit = (field: FieldDef): number =>
  TEXT_BYTES[field.dbType ?? 'text'] ?? TEXT_BYTES.text;

/** Largest byte count of a `binary` field: its `length` for (var)binary, else the BLOB size. */
export const binaryByteLimit = (field: FieldDef): number =>
  field.length ?? BLOB_BYTES[field.dbType ?? 'blob'] ?? BLOB_BYTES.blob;

/** MariaDB's default DECIMAL is DECIMAL(10,0). */
export const decimalShape = (field: FieldDef): { precision: number; scale: number } => ({
  precision: field.precision ?? 10,
  scale: field.scale ?? 0,
});
