import { readFileSync } from 'node:fs';
import type { AppConfig, GlobalConfig } from '@sogoms/config';

export interface DemoLogin {
  login: string;
  password: string;
}

/** `--   demo@prokov.test  / prokov-demo   (role default)`: how a seed file documents its users. */
const DOCUMENTED_LOGIN = /^--\s+(\S+@\S+)\s+\/\s+(\S+)/;

/**
 * The demo login of an app whose init SQL documents it: the first `-- email / password` comment
 * line in its init files. Only seeded demo apps have one; a real app shows none.
 */
export const demoLoginOf = (app: AppConfig): DemoLogin | null => {
  for (const file of app.database.init) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const match = DOCUMENTED_LOGIN.exec(line);
      if (match !== null) return { login: match[1], password: match[2] };
    }
  }
  return null;
};

/** The URL a person on this machine would open for an app: localhost when the app answers to it. */
const appUrl = (app: AppConfig, port: number): string => {
  const host = app.hosts.includes('localhost') ? 'localhost' : app.hosts[0];
  return `http://${host}${port === 80 ? '' : `:${port}`}${app.basePath}`;
};

/** The lines printed once every service is healthy. */
export const startupBanner = (global: GlobalConfig, apps: AppConfig[], services: string[]): string[] => {
  if (!services.includes('gateway')) return [`SOGOMS is up: ${services.join(', ')} healthy`];
  const port = global.gateway.port;
  if (apps.length === 0) {
    return [
      `SOGOMS is up: http://localhost:${port} (no apps yet: add config/apps/{app}/app.yaml, then npx sogoms reload)`,
    ];
  }
  return apps.map((app) => {
    const demo = demoLoginOf(app);
    const login = demo === null ? '' : ` — demo login ${demo.login} / ${demo.password}`;
    const fallback = app.database.onFallback;
    const on =
      fallback === undefined
        ? ''
        : ` — ON THE ${app.database.driver.toUpperCase()} FALLBACK (${fallback.reason})`;
    return `SOGOMS is up: ${appUrl(app, port)} (app ${app.name}, hosts ${app.hosts.join(', ')})${login}${on}`;
  });
};
