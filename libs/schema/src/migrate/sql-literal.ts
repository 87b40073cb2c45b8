/**
 * A MariaDB string literal for DDL text (enum/set values, defaults, comments), where values cannot
 * be bound. Quotes are doubled and backslashes escaped, which is right for every sql_mode without
 * NO_BACKSLASH_ESCAPES (the default); the migration runner clears that mode for its session.
 */
export const sqlStringLiteral = (value: string): string =>
  `'${value.replace(/\\/g, '\\\\').replace(/\0/g, '\\0').replace(/'/g, "''")}'`;
