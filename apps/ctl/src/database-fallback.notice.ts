import type { AppConfig } from '@sogoms/config';
import type { DatabaseFallbackStatus } from '@sogoms/ipc';

/** The apps that run on their fallback database, as `sogoms status` shows them. */
export const fallbackStatuses = (apps: readonly AppConfig[]): DatabaseFallbackStatus[] =>
  apps.flatMap((app) =>
    app.database.onFallback === undefined
      ? []
      : [
          {
            app: app.name,
            reason: app.database.onFallback.reason,
            driver: app.database.driver,
            file: app.database.file,
          },
        ],
  );

/**
 * Said loudly at start (and again in the banner): data written now goes to the fallback, not to
 * the database app.yaml names first, and stays there after the primary comes back.
 */
export const fallbackWarnings = (apps: readonly AppConfig[]): string[] =>
  fallbackStatuses(apps).map(
    (f) =>
      `app ${f.app} runs on its FALLBACK database (${f.driver} ${f.file ?? ''}): ` +
      `${f.reason}. Writes stay in the fallback; restart SOGOMS once the primary is up to use it.`,
  );
