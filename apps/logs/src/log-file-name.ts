/** `{app}-{YYYYMMDD}-{type}.log`: the one place that names (and parses) log files. */

export const LOG_TYPES = ['error', 'event'] as const;
export type LogType = (typeof LOG_TYPES)[number];

/** Entries of no app, and of apps the configuration does not know, go to `sogoms-...`. */
export const SYSTEM_APP = 'sogoms';

/** The only app names that may become part of a file name: no dots, no slashes, no escape. */
const SAFE_APP_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

export const isSafeAppName = (name: string): boolean => SAFE_APP_NAME.test(name);

/** The UTC day of `date` as `YYYYMMDD`. */
export const utcDay = (date: Date): string => date.toISOString().slice(0, 10).replaceAll('-', '');

/** Days since 1970-01-01 of a `YYYYMMDD` day, or undefined when it is not a real date. */
export const epochDay = (day: string): number | undefined => {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 20260231 over into March: a real date survives the round trip.
  return utcDay(new Date(ms)) === day ? ms / 86_400_000 : undefined;
};

export const logFileName = (app: string, day: string, type: LogType): string => {
  if (!isSafeAppName(app) || epochDay(day) === undefined) throw new Error(`Unsafe log file name for app "${app}"`);
  return `${app}-${day}-${type}.log`;
};

export interface ParsedLogFileName {
  app: string;
  day: string;
  type: LogType;
}

const LOG_FILE = /^(.+)-(\d{8})-(error|event)\.log$/;

/** The parts of a log file name; undefined for any other file (which is then never touched). */
export const parseLogFileName = (name: string): ParsedLogFileName | undefined => {
  const match = LOG_FILE.exec(name);
  if (match === null || !isSafeAppName(match[1]) || epochDay(match[2]) === undefined) return undefined;
  return { app: match[1], day: match[2], type: match[3] as LogType };
};
