import { SogomsError } from '@sogoms/common';
import isEmailModule from 'validator/lib/isEmail.js';

const isEmail = isEmailModule.default;

const NAMED = /^\s*"?([^"<>]*)"?\s*<([^<>\s]+)>\s*$/;

/** One address, plain or `Name <address>`; VALIDATION_FAILED naming `field` otherwise. */
export const mailAddress = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.length > 320)
    throw new SogomsError('VALIDATION_FAILED', `${field}: an e-mail address is required`, { field });
  const named = NAMED.exec(value);
  const address = named === null ? value.trim() : named[2];
  if (!isEmail(address, { allow_display_name: false, require_tld: false }))
    throw new SogomsError('VALIDATION_FAILED', `${field}: '${value}' is not an e-mail address`, { field });
  return value.trim();
};

/** An address or a list of them (absent: none). */
export const mailAddresses = (value: unknown, field: string, required: boolean): string[] => {
  if (value === undefined || value === null) {
    if (required)
      throw new SogomsError('VALIDATION_FAILED', `${field}: at least one address is required`, { field });
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  if (required && list.length === 0)
    throw new SogomsError('VALIDATION_FAILED', `${field}: at least one address is required`, { field });
  return list.map((item, i) => mailAddress(item, Array.isArray(value) ? `${field}[${i}]` : field));
};
