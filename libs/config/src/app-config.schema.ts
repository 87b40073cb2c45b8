import { basename, extname } from 'node:path';
import { appModule } from './app-module.schema.js';
import type { AppConfig, SmtpConfig } from './config.types.js';
import { imapSchema } from './app-imap.schema.js';
import { list, object, optionalSection, outputAs, type Schema } from './schema/config-schema.js';
import {
  bool,
  durationSeconds,
  host,
  int,
  nullable,
  oneOf,
  optional,
  path,
  text,
} from './schema/scalar-schemas.js';

export const APP_NAME = /^[a-z][a-z0-9_-]*$/;
const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const identifier = (fallback?: string) =>
  text({ pattern: SQL_IDENTIFIER, format: 'an SQL identifier ([A-Za-z_][A-Za-z0-9_]*)', default: fallback });

/** app.yaml `smtp:` (the mailer's SMTP server for the app; see docs/mailer.md). */
const smtpSchema = object(
  {
    host: text(),
    port: int({ min: 1, max: 65535, default: 587 }),
    secure: bool({ default: false }),
    starttls: oneOf<SmtpConfig['starttls']>(['required', 'opportunistic', 'off'], {
      default: 'opportunistic',
    }),
    auth: optionalSection(object({ user: text(), pass: text({ secret: true }) })),
    from: text(),
    reply_to: optional(text()),
    pool: int({ min: 1, max: 50, default: 2 }),
    rate_per_second: int({ min: 0, max: 10_000, default: 0 }),
    tls: object({
      ca_file: optional(path({ base: 'dir', existingFile: true })),
      reject_unauthorized: bool({ default: true }),
    }),
    max_attempts: int({ min: 1, max: 100, default: 8 }),
    history_days: int({ min: 1, default: 30 }),
  },
  (smtp, report) => {
    // Implicit TLS has no STARTTLS step: `required` would be a contradiction.
    if (smtp.secure && smtp.starttls === 'required')
      report(['starttls'], 'off or opportunistic with secure: true', '"required"');
  },
);

/** config/apps/{app}/app.yaml. Defaults are documented in config.types.ts and docs/configuration.md. */
export const appConfigSchema = object(
  {
    name: text({
      pattern: APP_NAME,
      format: 'an app name matching [a-z][a-z0-9_-]*, equal to its folder name',
    }),
    version: text({ default: '0.0.0' }),
    hosts: list(host(), { min: 1, unique: true }),
    base_path: text({
      pattern: /^(\/[A-Za-z0-9._~-]+)+$/,
      format: 'a path that starts with / and has no trailing slash (e.g. /api)',
      default: '/api',
    }),
    database: object(
      {
        driver: oneOf<AppConfig['database']['driver']>(['mariadb', 'sqlite'], { default: 'mariadb' }),
        host: text({ default: '127.0.0.1' }),
        port: int({ min: 1, max: 65535, default: 3306 }),
        user: text({ default: 'root' }),
        password: text({ min: 0, secret: true, default: '' }),
        name: text({
          pattern: /^[A-Za-z0-9_$]{1,64}$/,
          format: 'a database name ([A-Za-z0-9_$], at most 64)',
          default: '',
        }),
        file: optional(path({ base: 'root' })),
        pool_size: int({ min: 1, max: 1000, default: 10 }),
        init: list(path({ base: 'dir', existingFile: true }), { default: [] }),
        // Used only when the primary cannot be reached at start (decided by sogoctl: see docs/db.md).
        fallback: optionalSection(
          object({
            driver: oneOf<'sqlite'>(['sqlite']),
            file: path({ base: 'root' }),
            init: list(path({ base: 'dir', existingFile: true }), { default: [] }),
          }),
        ),
      },
      (database, report) => {
        if (database.driver === 'mariadb' && database.name === '')
          report(['name'], 'a database name (required with driver mariadb)', 'nothing');
        if (database.driver === 'sqlite') {
          if (database.file === null)
            report(
              ['file'],
              'the SQLite file, relative to the config root (required with driver sqlite)',
              'nothing',
            );
          else if (database.name === '') database.name = basename(database.file, extname(database.file));
        }
      },
    ),
    auth: object({
      jwt_secret: text({ min: 32, secret: true }),
      jwt_expires_in: outputAs('jwtExpiresInS', durationSeconds({ default: 7 * 86400 })),
      users_table: identifier('users'),
      id_field: identifier('id'),
      login_field: identifier('email'),
      password_field: identifier('password_hash'),
      role_field: nullable(identifier('role')),
      min_password_length: int({ min: 1, max: 1024, default: 8 }),
      welcome_mail: optional(
        text({ pattern: /^[a-z0-9][a-z0-9_-]*$/i, format: 'a template name of emails/ (e.g. welcome)' }),
      ),
    }),
    logs: object({
      retention_days: int({ min: 1, default: 14 }),
    }),
    docs: oneOf<AppConfig['docs']>(['public', 'private'], { default: 'private' }),
    modules: list(appModule(), { default: [] }),
    smtp: optionalSection(smtpSchema),
    imap: optionalSection(imapSchema),
  },
  (app, report, ctx) => {
    const folder = basename(ctx.dir);
    if (app.name !== folder) report(['name'], `the app's folder name "${folder}"`, JSON.stringify(app.name));
    if (app.auth.welcomeMail !== null && app.smtp === null)
      report(['auth', 'welcome_mail'], 'an smtp: section to send it with', 'none');
    const names = new Set<string>();
    app.modules.forEach((module, index) => {
      if (names.has(module.name)) report(['modules', index], 'modules with distinct names', module.name);
      names.add(module.name);
    });
  },
);

// Compile-time proof that the schema produces the typed config (the loader adds `dir`).
export const appConfigBody: Schema<Omit<AppConfig, 'dir'>> = appConfigSchema;
