import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import type { LogPage, LogTypeFilter, StoredLogEntry } from '@sogoms/ipc';
import { Clock } from './clock.js';
import { epochDay, isSafeAppName, logFileName, parseLogFileName, utcDay, type LogType } from './log-file-name.js';
import { LogsSettingsStore } from './logs-settings.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** A day's file larger than this is read from its end only: a page of the newest lines stays quick. */
const MAX_READ_BYTES = 32 * 1024 * 1024;
const TYPE_FILTERS: readonly LogTypeFilter[] = ['error', 'event', 'all'];

interface ParsedQuery {
  app: string;
  day: string;
  type: LogTypeFilter;
  kind: string | undefined;
  text: string | undefined;
  offset: number;
  limit: number;
}

const bad = (message: string, field: string): SogomsError =>
  new SogomsError('BAD_REQUEST', message, { field });

const optionalText = (value: unknown, field: string, max: number): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw bad(`${field} must be a text of at most ${max} characters`, field);
  return value;
};

const count = (value: unknown, field: string, fallback: number, max: number): number => {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
    throw bad(`${field} must be a whole number from 0 to ${max}`, field);
  return value as number;
};

/** `YYYY-MM-DD` ↔ the files' `YYYYMMDD`. */
const fileDay = (day: string): string => day.replaceAll('-', '');
const shownDay = (day: string): string => `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;

/**
 * Reads the log files back for the admin: one app's entries of one day, filtered, newest first,
 * paged. Only names built by logFileName are opened, so a query cannot reach outside log_dir.
 */
@Injectable()
export class LogReader {
  constructor(
    private readonly settings: LogsSettingsStore,
    private readonly clock: Clock,
  ) {}

  async query(payload: unknown): Promise<LogPage> {
    const query = this.parse(payload);
    const types: LogType[] = query.type === 'all' ? ['error', 'event'] : [query.type];
    const entries: StoredLogEntry[] = [];
    for (const type of types) entries.push(...(await this.readDay(query.app, fileDay(query.day), type)));
    const needle = query.text?.toLowerCase();
    const matching = entries.filter(
      (entry) =>
        (query.kind === undefined || entry.kind === query.kind) &&
        (needle === undefined || JSON.stringify(entry).toLowerCase().includes(needle)),
    );
    // Newest first; lines of one file are already in time order, a stable sort keeps ties so.
    matching.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return {
      app: query.app,
      day: query.day,
      type: query.type,
      entries: matching.slice(query.offset, query.offset + query.limit),
      total: matching.length,
      offset: query.offset,
      limit: query.limit,
      days: await this.daysOf(query.app),
    };
  }

  private parse(payload: unknown): ParsedQuery {
    if (!isRecord(payload)) throw new SogomsError('BAD_REQUEST', 'a log query is an object with "app"');
    const app = payload.app;
    if (typeof app !== 'string' || !isSafeAppName(app)) throw bad('app must be an app name', 'app');
    const day = optionalText(payload.day, 'day', 10) ?? shownDay(utcDay(this.clock.now()));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || epochDay(fileDay(day)) === undefined)
      throw bad('day must be a date as YYYY-MM-DD', 'day');
    const type = (payload.type ?? 'all') as LogTypeFilter;
    if (!TYPE_FILTERS.includes(type)) throw bad(`type must be one of ${TYPE_FILTERS.join(', ')}`, 'type');
    return {
      app,
      day,
      type,
      kind: optionalText(payload.kind, 'kind', 100),
      text: optionalText(payload.text, 'text', 200),
      offset: count(payload.offset, 'offset', 0, 10_000_000),
      limit: count(payload.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT) || DEFAULT_LIMIT,
    };
  }

  private async readDay(app: string, day: string, type: LogType): Promise<StoredLogEntry[]> {
    const path = join(this.settings.logDir, logFileName(app, day, type));
    let text: string;
    try {
      const { size } = await stat(path);
      const buffer = await readFile(path);
      text = (size > MAX_READ_BYTES ? buffer.subarray(size - MAX_READ_BYTES) : buffer).toString('utf8');
      // A cut at the start leaves a partial first line.
      if (size > MAX_READ_BYTES) text = text.slice(text.indexOf('\n') + 1);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new SogomsError('UNAVAILABLE', 'the log file could not be read');
    }
    const entries: StoredLogEntry[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const parsed = JSON.parse(line) as unknown;
        if (isRecord(parsed) && typeof parsed.at === 'string')
          entries.push({ ...(parsed as unknown as StoredLogEntry), type });
      } catch {
        // A line cut by a crash mid-write is skipped, not an error for the whole day.
      }
    }
    return entries;
  }

  private async daysOf(app: string): Promise<string[]> {
    const names = await readdir(this.settings.logDir).catch(() => [] as string[]);
    const days = new Set<string>();
    for (const name of names) {
      const parsed = parseLogFileName(name);
      if (parsed?.app === app) days.add(shownDay(parsed.day));
    }
    return [...days].sort().reverse();
  }
}
