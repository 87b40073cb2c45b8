import { CliFailure } from './cli-context.js';

/** The `database:` settings an app.yaml needs, read from a `mysql://` URL. */
export interface DatabaseUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
}

const SCHEMES = new Set(['mysql:', 'mariadb:']);
/** Same rule as `database.name` in app.yaml (libs/config/src/app-config.schema.ts). */
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;
const EXAMPLE = 'mysql://user:pass@host:port/database';

/**
 * Parses `mysql://user:pass@host:port/db` (also `mariadb://`). User and password may be
 * percent-encoded; port defaults to 3306, user to root. The message of a bad URL never repeats
 * the password.
 */
export const parseDatabaseUrl = (text: string): DatabaseUrl => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliFailure(`--database-url is not a URL (expected ${EXAMPLE})`);
  }
  if (!SCHEMES.has(url.protocol))
    throw new CliFailure(`--database-url must start with mysql:// or mariadb:// (expected ${EXAMPLE})`);
  if (url.hostname === '') throw new CliFailure(`--database-url has no host (expected ${EXAMPLE})`);
  if (url.search !== '' || url.hash !== '')
    throw new CliFailure('--database-url takes no ?options or #fragment');
  const name = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (name === '') throw new CliFailure(`--database-url has no database name (expected ${EXAMPLE})`);
  if (!DATABASE_NAME.test(name))
    throw new CliFailure(
      `--database-url: database name ${JSON.stringify(name)} must match [A-Za-z0-9_$]{1,64}`,
    );
  const port = url.port === '' ? 3306 : Number(url.port);
  return {
    // URL keeps the brackets of an IPv6 literal; the driver wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user: url.username === '' ? 'root' : decode(url.username, 'user'),
    password: decode(url.password, 'password'),
    name,
  };
};

const decode = (part: string, what: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new CliFailure(`--database-url: the ${what} has a malformed %-escape`);
  }
};

/** The URL as it may be shown: the password replaced by `***`. */
export const redactedUrl = (db: DatabaseUrl): string =>
  `mysql://${encodeURIComponent(db.user)}${db.password === '' ? '' : ':***'}@${db.host.includes(':') ? `[${db.host}]` : db.host}:${db.port}/${db.name}`;
