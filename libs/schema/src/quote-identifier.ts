import { SogomsError } from '@sogoms/common';

/** Names SOGOMS accepts as SQL identifiers: plain ASCII, so quoting can never be escaped. */
export const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Quotes a table or column name that comes from configuration, never from a request. */
export const quoteIdentifier = (name: string): string => {
  if (!SAFE_IDENTIFIER.test(name)) throw new SogomsError('BAD_REQUEST', `Unsafe SQL identifier: ${name}`);
  return `\`${name}\``;
};
