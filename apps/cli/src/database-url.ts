import { basename, extname, resolve } from 'node:path';
import type { DatabaseUrl, SqliteUrl } from '@sogoms/provisioning';
import { CliFailure } from './cli-context.js';

/** The `database:` settings an app.yaml needs, read from a `mysql://` or `sqlite:` URL (the types live in @sogoms/provisioning). */
export type { DatabaseUrl, MariaDbUrl, SqliteUrl } from '@sogoms/provisioning';

const SCHEMES = new Set(['mysql:', 'mariadb:']);
/** Same rule as `database.name` in app.yaml (libs/config/src/app-config.schema.ts). */
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;
const EXAMPLE = 'mysql://user:pass@host:port/database or sqlite:path/to/file.db';

/** `sqlite:data/shop.db`, `sqlite:/abs/shop.db` or `sqlite:///abs/shop.db`. */
const parseSqliteUrl = (text: string): SqliteUrl => {
  const path = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (path === '' || path.endsWith('/'))
    throw new CliFailure(`--database-url names no SQLite file (expected ${EXAMPLE})`);
  if (/[?#]/.test(path)) throw new CliFailure('--database-url takes no ?options or #fragment');
  const file = resolve(path);
  return { driver: 'sqlite', file, name: basename(file, extname(file)) };
};

/**
 * Parses `mysql://user:pass@host:port/db` (also `mariadb://`) or `sqlite:path` (the file must
 * exist; see parseSqliteUrl). User and password may be percent-encoded; port defaults to 3306,
 * user to root. The message of a bad URL never repeats the password.
 */
export const parseDatabaseUrl = (text: string): DatabaseUrl => {
  if (text.startsWith('sqlite:')) return parseSqliteUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliFailure(`--database-url is not a URL (expected ${EXAMPLE})`);
  }
  if (!SCHEMES.has(url.protocol))
    throw new CliFailure(
      `--database-url must start with mysql://, mariadb:// or sqlite: (expected ${EXAMPLE})`,
    );
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
    driver: 'mariadb',
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
  db.driver === 'sqlite'
    ? `sqlite:${db.file}`
    : `mysql://${encodeURIComponent(db.user)}${db.password === '' ? '' : ':***'}@${db.host.includes(':') ? `[${db.host}]` : db.host}:${db.port}/${db.name}`;
