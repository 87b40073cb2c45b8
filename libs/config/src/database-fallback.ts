import { basename, extname } from 'node:path';
import type { AppConfig } from './config.types.js';

/**
 * sogoctl decides once, at start, which apps run on their declared `database.fallback` (their
 * primary could not be reached) and hands the decision to every service it starts in this
 * variable: `{"prokov": "connection refused"}`. Every process then reads the same app
 * configuration, so the db service and the gateway agree on the engine, through reloads and
 * restarts, until the supervisor itself is restarted.
 */
export const FALLBACK_ENV = 'SOGOMS_DB_FALLBACK';

/** App name → why its primary was not used; empty when the variable is unset or unreadable. */
export const fallbacksDecided = (env: Readonly<Record<string, string | undefined>>): Map<string, string> => {
  const text = env[FALLBACK_ENV];
  if (text === undefined || text === '') return new Map();
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new Map();
    return new Map(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return new Map();
  }
};

/** The variable's value for `decided` (app → reason). */
export const fallbackEnvValue = (decided: ReadonlyMap<string, string>): string =>
  JSON.stringify(Object.fromEntries(decided));

/** `app` with its database replaced by its fallback when one is declared and was decided. */
export const onFallbackWhereDecided = (app: AppConfig, decided: ReadonlyMap<string, string>): AppConfig => {
  const reason = decided.get(app.name);
  const fallback = app.database.fallback;
  if (reason === undefined || fallback === null) return app;
  return {
    ...app,
    database: {
      ...app.database,
      driver: fallback.driver,
      file: fallback.file,
      name: basename(fallback.file, extname(fallback.file)),
      init: [...fallback.init],
      onFallback: { reason },
    },
  };
};
