import { SogomsError } from '@sogoms/common';

const MAX_LIST = 500;
const FOLDER = /^[^\r\n\0*%]{1,200}$/;

const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', `${field}: ${message}`, { field });

export const folderOf = (value: unknown, field = 'folder'): string => {
  if (value === undefined || value === null) return 'INBOX';
  if (typeof value !== 'string' || !FOLDER.test(value))
    throw invalid(field, 'a folder name (no line break, * or %) is required');
  return value;
};

export const uidOf = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 0xffffffff)
    throw invalid('uid', 'a message uid (a positive integer) is required');
  return value;
};

const optionalText = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '' || /[\r\n]/.test(value))
    throw invalid(field, 'a one-line string is required');
  return value;
};

const integerIn = (value: unknown, field: string, min: number, max: number, fallback: number): number => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `an integer from ${min} to ${max} is required`);
  return value;
};

/** `mailer.inbox.list`'s filters, checked. */
export interface InboxListFilters {
  folder: string;
  limit: number;
  offset: number;
  unseenOnly: boolean;
  from?: string;
  subject?: string;
  since?: Date;
}

export const listFiltersOf = (request: Record<string, unknown>): InboxListFilters => {
  let since: Date | undefined;
  if (request.since !== undefined && request.since !== null) {
    since = typeof request.since === 'string' ? new Date(request.since) : new Date(Number.NaN);
    if (Number.isNaN(since.getTime())) throw invalid('since', 'an ISO 8601 date is required');
  }
  if (request.unseen_only !== undefined && typeof request.unseen_only !== 'boolean')
    throw invalid('unseen_only', 'true or false is required');
  return {
    folder: folderOf(request.folder),
    limit: integerIn(request.limit, 'limit', 1, MAX_LIST, 50),
    offset: integerIn(request.offset, 'offset', 0, 1_000_000, 0),
    unseenOnly: request.unseen_only === true,
    from: optionalText(request.from, 'from'),
    subject: optionalText(request.subject, 'subject'),
    since,
  };
};

export const attachmentIndexOf = (value: unknown): number | undefined =>
  value === undefined || value === null ? undefined : integerIn(value, 'attachment', 0, 10_000, 0);
