import { isRecord } from '@sogoms/common';
import type { LogEntry } from '@sogoms/ipc';

/** One line of a log file, in this key order. */
export interface LogLine {
  at: string;
  app: string;
  kind: string;
  source: string;
  message: string;
  data?: Record<string, unknown>;
}

const MAX_NAME = 100;
const MAX_MESSAGE = 8 * 1024;
/** Larger `data` is replaced by a note: one noisy caller must not fill the disk. */
const MAX_DATA_JSON = 64 * 1024;

const shortText = (value: unknown, max: number, fallback: string): string =>
  typeof value === 'string' && value !== '' ? (value.length > max ? `${value.slice(0, max)}…` : value) : fallback;

const boundedData = (data: unknown): Record<string, unknown> | undefined => {
  if (data === undefined || data === null) return undefined;
  const record = isRecord(data) ? data : { value: data };
  const bytes = Buffer.byteLength(JSON.stringify(record));
  return bytes > MAX_DATA_JSON ? { truncated: true, bytes } : record;
};

/**
 * A LogLine from whatever arrived as an event. Events have no reply, so nothing is rejected:
 * missing or malformed fields get placeholders and oversized ones are cut. The app name is kept
 * as sent (it is data here); which file it goes to is decided elsewhere.
 */
export const toLogLine = (payload: unknown, now: Date): LogLine => {
  const entry: Partial<Record<keyof LogEntry, unknown>> = isRecord(payload) ? payload : { message: payload };
  const at = typeof entry.at === 'string' && !Number.isNaN(Date.parse(entry.at)) ? new Date(entry.at) : now;
  const line: LogLine = {
    at: at.toISOString(),
    app: shortText(entry.app, MAX_NAME, 'sogoms'),
    kind: shortText(entry.kind, MAX_NAME, 'unknown'),
    source: shortText(entry.source, MAX_NAME, 'unknown'),
    message: shortText(
      typeof entry.message === 'string' ? entry.message : JSON.stringify(entry.message ?? ''),
      MAX_MESSAGE,
      '',
    ),
  };
  const data = boundedData(entry.data);
  if (data !== undefined) line.data = data;
  return line;
};
