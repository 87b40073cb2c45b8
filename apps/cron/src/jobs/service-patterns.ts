import { DB_PATTERNS, MAILER_PATTERNS } from '@sogoms/ipc';

/**
 * The IPC patterns a `service` job may call: the actions that do work for the job's app (the
 * payload's `app` is always the job's own). Read-only or control patterns are left out.
 */
export const CALLABLE_PATTERNS: readonly string[] = [
  MAILER_PATTERNS.send,
  MAILER_PATTERNS.sendTemplate,
  MAILER_PATTERNS.sendBulk,
  DB_PATTERNS.query,
  DB_PATTERNS.transaction,
];

/** The service a pattern belongs to: `mailer.send` → `mailer`. */
export const serviceOfPattern = (pattern: string): string => pattern.slice(0, pattern.indexOf('.'));
