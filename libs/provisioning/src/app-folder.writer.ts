import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { CRYPT_KEYS_FILE, createKeyringFile } from '@sogoms/crypt';
import { ACCOUNT_MAIL_TEMPLATES } from './account-mail-templates.js';
import type { DatabaseUrl } from './database-url.js';
import type { UsersTableAuth } from './users-table.detector.js';

/** What a new app's folder is written from (provisionApp fills in the defaults). */
export interface NewApp {
  name: string;
  version: string;
  hosts: string[];
  basePath: string;
  database: DatabaseUrl;
  auth: UsersTableAuth;
  jwtSecret: string;
  jwtExpiresIn: string;
}

export interface WrittenApp {
  dir: string;
  appYaml: string;
  schemaYaml: string;
  jwtSecretFile: string;
  passwordFile: string | null;
}

/** Secret files are referenced relative to the config root (the `*_file` rule of libs/config). */
const secretPath = (app: string, file: string): string => `apps/${app}/secrets/${file}`;

/** app.yaml's `database:`; an SQLite file relative to the config root, as app.yaml takes it. */
const databaseBlock = (configRoot: string, app: NewApp): Record<string, unknown> => {
  const db = app.database;
  if (db.driver === 'sqlite') return { driver: 'sqlite', file: relative(configRoot, db.file) };
  return {
    host: db.host,
    port: db.port,
    user: db.user,
    ...(db.password === '' ? { password: '' } : { password_file: secretPath(app.name, 'db_password') }),
    name: db.name,
  };
};

/** The app.yaml of a new app: every auth column spelled out, secrets in files. */
export const renderAppYaml = (configRoot: string, app: NewApp): string => {
  const { auth } = app;
  const body = {
    name: app.name,
    version: app.version,
    hosts: app.hosts,
    base_path: app.basePath,
    database: databaseBlock(configRoot, app),
    auth: {
      jwt_secret_file: secretPath(app.name, 'jwt_secret'),
      // Short-lived access tokens; a session lives on through POST /auth/refresh (refresh_ttl, 30d).
      jwt_expires_in: app.jwtExpiresIn,
      users_table: auth.usersTable,
      id_field: auth.idField,
      login_field: auth.loginField,
      password_field: auth.passwordField,
      role_field: auth.roleField,
    },
  };
  const header = [
    `# App "${app.name}", written by SOGOMS (\`sogoms app create\` or the admin). Edit freely; \`sogoms reload\` applies it.`,
    '# Secrets live in secrets/ (git-ignored, mode 600). role_field: null means every user is `default`.',
  ];
  return `${header.join('\n')}\n${stringify(body)}`;
};

const writeSecret = (file: string, value: string): void => {
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  // The mode given to writeFileSync is masked by the umask; the secret must be 600 whatever it is.
  chmodSync(file, 0o600);
};

/**
 * Creates config/apps/{name}/ with emails/ (the account mails), secrets/jwt_secret, the
 * field-encryption keys secrets/crypt.keys,
 * secrets/db_password when a MariaDB database has a password, schema.yaml, and app.yaml last: a
 * loader never sees an app.yaml whose files are missing. The folder must not exist yet; on any
 * failure it is removed again, so nothing half-written stays behind.
 */
export const writeAppFolder = (configRoot: string, app: NewApp, schemaYaml: string): WrittenApp => {
  const appsDir = join(configRoot, 'apps');
  mkdirSync(appsDir, { recursive: true });
  const dir = join(appsDir, app.name);
  mkdirSync(dir); // throws EEXIST: never write into someone's folder
  try {
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets, { mode: 0o700 });
    chmodSync(secrets, 0o700);
    const jwtSecretFile = join(secrets, 'jwt_secret');
    writeSecret(jwtSecretFile, app.jwtSecret);
    // Field encryption's keys (docs/crypt.md): made now, so that a field marked encrypted later has them.
    createKeyringFile(join(dir, CRYPT_KEYS_FILE), app.name);
    let passwordFile: string | null = null;
    if (app.database.driver === 'mariadb' && app.database.password !== '') {
      passwordFile = join(secrets, 'db_password');
      writeSecret(passwordFile, app.database.password);
    }
    const emails = join(dir, 'emails');
    mkdirSync(emails);
    for (const [file, text] of Object.entries(ACCOUNT_MAIL_TEMPLATES))
      writeFileSync(join(emails, file), text, { flag: 'wx' });
    const schemaFile = join(dir, 'schema.yaml');
    writeFileSync(schemaFile, schemaYaml, { flag: 'wx' });
    const appFile = join(dir, 'app.yaml');
    writeFileSync(appFile, renderAppYaml(configRoot, app), { flag: 'wx' });
    return { dir, appYaml: appFile, schemaYaml: schemaFile, jwtSecretFile, passwordFile };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
};
