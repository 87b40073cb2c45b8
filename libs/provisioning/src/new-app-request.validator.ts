import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { loadConfig, normalizeHost } from '@sogoms/config';
import { SAFE_IDENTIFIER } from '@sogoms/schema';
import type { DatabaseUrl } from './database-url.js';
import { NEW_APP_DEFAULTS, type NewAppRequest } from './new-app-request.js';

/** The rules of app.yaml (libs/config/src/app-config.schema.ts), checked before anything is written. */
const APP_NAME = /^[a-z][a-z0-9_-]*$/;
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;
/** A version is shown in the docs and the API's info: one short token. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;
/** auth.jwt_expires_in as libs/config's durationSeconds reads it. */
const DURATION = /^[1-9]\d*[smhd]?$/;
/** libs/config requires auth.jwt_secret to have at least 32 characters. */
export const MIN_JWT_SECRET_CHARS = 32;
/** MariaDB's own limits on a user name and a host name. */
const MAX_USER_CHARS = 80;
const MAX_HOST_CHARS = 255;

/**
 * A request that cannot be made into an app; `field` names the request's key it is about
 * (`database.password` for a key of `database`), so a form can show the message beside it.
 * Messages are about the value, not the key: the CLI puts its flag's name in front.
 */
const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', message, { field });

const conflict = (field: string, message: string): SogomsError =>
  new SogomsError('CONFLICT', message, { field });

/** The hosts as app.yaml will list them (lower case, no trailing dot), or the first bad one. */
export const normalizedHosts = (hosts: readonly string[]): string[] => {
  if (hosts.length === 0) throw invalid('hosts', 'name at least one host');
  const normalized = hosts.map((host) => {
    const value = normalizeHost(host);
    if (value === undefined)
      throw invalid('hosts', `${JSON.stringify(host)} is not a host name or IP address (no port, no scheme)`);
    return value;
  });
  const twice = normalized.find((host, i) => normalized.indexOf(host) !== i);
  if (twice !== undefined) throw invalid('hosts', `${JSON.stringify(twice)} is listed twice`);
  return normalized;
};

/** A value written to a secrets file must survive being read back (libs/config trims it). */
const keepsInFile = (value: string): boolean => value === value.trim() && !/[\r\n]/.test(value);

const checkDatabase = (database: DatabaseUrl): void => {
  if (database.driver === 'sqlite') {
    if (typeof database.file !== 'string' || !isAbsolute(database.file))
      throw invalid('database.file', 'the SQLite file must be given as an absolute path');
    return;
  }
  const { host, port, user, password, name } = database;
  if (typeof host !== 'string' || host.trim() === '' || host.length > MAX_HOST_CHARS || /\s/.test(host))
    throw invalid('database.host', 'give the database server as a host name or IP address');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw invalid('database.port', 'the port must be a whole number from 1 to 65535');
  if (typeof user !== 'string' || user === '' || user.length > MAX_USER_CHARS)
    throw invalid('database.user', `give the database user (at most ${MAX_USER_CHARS} characters)`);
  if (typeof password !== 'string' || !keepsInFile(password))
    throw invalid(
      'database.password',
      'the database password starts or ends with a space, which password_file cannot keep: use password_env in app.yaml',
    );
  if (typeof name !== 'string' || !DATABASE_NAME.test(name))
    throw invalid('database.name', `database name ${JSON.stringify(name)} must match [A-Za-z0-9_$]{1,64}`);
};

/** Everything about the request that needs no database: values, then that name and hosts are free. */
const checkValues = (request: NewAppRequest): void => {
  if (typeof request.name !== 'string' || !APP_NAME.test(request.name))
    throw invalid('name', `${JSON.stringify(request.name)} must match [a-z][a-z0-9_-]*`);
  const version = request.version ?? NEW_APP_DEFAULTS.version;
  if (!VERSION.test(version))
    throw invalid('version', `${JSON.stringify(version)} is not a version (e.g. 1.0.0)`);
  normalizedHosts(request.hosts);
  const basePath = request.basePath ?? NEW_APP_DEFAULTS.basePath;
  if (!BASE_PATH.test(basePath))
    throw invalid(
      'basePath',
      `${JSON.stringify(basePath)} must start with / and have no trailing slash (e.g. /api)`,
    );
  checkDatabase(request.database);
  if (request.jwtSecret !== undefined) {
    if (request.jwtSecret.length < MIN_JWT_SECRET_CHARS)
      throw invalid('jwtSecret', `the JWT secret must have at least ${MIN_JWT_SECRET_CHARS} characters`);
    if (!keepsInFile(request.jwtSecret))
      throw invalid('jwtSecret', 'the JWT secret must not start or end with a space or hold a line break');
  }
  const expiresIn = request.jwtExpiresIn ?? NEW_APP_DEFAULTS.jwtExpiresIn;
  if (!DURATION.test(expiresIn))
    throw invalid(
      'jwtExpiresIn',
      `${JSON.stringify(expiresIn)} is not a duration: seconds, or a number with s, m, h or d (e.g. 15m, 7d)`,
    );
  if (request.authTable !== undefined && !SAFE_IDENTIFIER.test(request.authTable))
    throw invalid('authTable', `${JSON.stringify(request.authTable)} is not a table name SOGOMS accepts`);
};

/**
 * Checks a request before anything is written or asked of a database: every value (VALIDATION_FAILED),
 * then that the name and hosts are free in the configuration as it is now (CONFLICT). Details
 * `{field}` name the request's key. A configuration that does not load as it is throws its ConfigError.
 */
export const validateNewAppRequest = (configRoot: string, request: NewAppRequest): void => {
  checkValues(request);
  const { apps } = loadConfig(configRoot);
  if (existsSync(join(configRoot, 'apps', request.name)))
    throw conflict(
      'name',
      `config/apps/${request.name} already exists: choose another name or remove that folder`,
    );
  for (const host of normalizedHosts(request.hosts)) {
    const owner = apps.find((app) => app.hosts.includes(host));
    if (owner !== undefined) throw conflict('hosts', `host ${host} is already served by app '${owner.name}'`);
  }
};
