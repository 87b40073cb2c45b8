import { basename, extname } from 'node:path';
import { appModule } from './app-module.schema.js';
import type { AppConfig, SmtpConfig } from './config.types.js';
import { imapSchema } from './app-imap.schema.js';
import { dictionary, list, object, optionalSection, outputAs, type Schema } from './schema/config-schema.js';
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
  timeZone,
} from './schema/scalar-schemas.js';

export const APP_NAME = /^[a-z][a-z0-9_-]*$/;
const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const identifier = (fallback?: string) =>
  text({ pattern: SQL_IDENTIFIER, format: 'an SQL identifier ([A-Za-z_][A-Za-z0-9_]*)', default: fallback });
const templateName = (example: string, fallback?: string) =>
  text({
    pattern: /^[a-z0-9][a-z0-9_-]*$/i,
    format: `a template name of emails/ (e.g. ${example})`,
    default: fallback,
  });
/** The link a reset or verification mail carries: `{token}` is replaced by the token. */
const linkTemplate = () =>
  text({
    pattern: /\{token\}/,
    format: 'a URL containing {token} (e.g. https://app.example/reset?token={token})',
  });

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

/** app.yaml `push:` (CRUD events published by the push service; see docs/push.md). */
const pushSchema = object({
  tables: dictionary(
    object({
      channel: text({
        pattern: /^[A-Za-z0-9_-]{1,64}$/,
        format: 'one MQTT topic level ([A-Za-z0-9_-], no / + #)',
      }),
      audience: oneOf<'owner' | 'broadcast'>(['owner', 'broadcast'], { default: 'owner' }),
    }),
    { pattern: SQL_IDENTIFIER, format: 'a table name of schema.yaml' },
    { default: {} },
  ),
});

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
      // The older spelling of password.min_length; when given, it wins (apps written before it).
      min_password_length: optional(int({ min: 1, max: 1024 })),
      password: object({
        min_length: int({ min: 1, max: 72, default: 8 }),
        min_distinct: int({ min: 1, max: 72, default: 3 }),
        require_lowercase: bool({ default: false }),
        require_uppercase: bool({ default: false }),
        require_digit: bool({ default: false }),
        require_symbol: bool({ default: false }),
        reject_common: bool({ default: true }),
        reject_email: bool({ default: true }),
      }),
      welcome_mail: optional(templateName('welcome')),
      refresh_ttl: outputAs('refreshTtlS', durationSeconds({ default: 30 * 86400 })),
      disabled_field: optional(identifier()),
      reset_ttl: outputAs('resetTtlS', durationSeconds({ default: 30 * 60 })),
      reset_mail: templateName('password-reset', 'password-reset'),
      reset_url: optional(linkTemplate()),
      verify_email: bool({ default: false }),
      verified_field: identifier('email_verified_at'),
      verify_ttl: outputAs('verifyTtlS', durationSeconds({ default: 2 * 86400 })),
      verify_mail: templateName('verify-email', 'verify-email'),
      verify_url: optional(linkTemplate()),
      max_failures: int({ min: 1, max: 1000, default: 5 }),
      ip_max_failures: int({ min: 1, max: 100_000, default: 20 }),
      failure_window: outputAs('failureWindowS', durationSeconds({ default: 15 * 60 })),
      lockout: outputAs('lockoutS', durationSeconds({ default: 60 })),
      lockout_max: outputAs('lockoutMaxS', durationSeconds({ default: 3600 })),
      mail_per_address: int({ min: 1, max: 1000, default: 3 }),
      mail_per_ip: int({ min: 1, max: 100_000, default: 20 }),
      mail_window: outputAs('mailWindowS', durationSeconds({ default: 3600 })),
    }),
    logs: object({
      retention_days: int({ min: 1, default: 14 }),
    }),
    idempotency: object({
      retention: outputAs('retentionS', durationSeconds({ default: 24 * 3600 })),
    }),
    docs: oneOf<AppConfig['docs']>(['public', 'private'], { default: 'private' }),
    modules: list(appModule(), { default: [] }),
    smtp: optionalSection(smtpSchema),
    push: optionalSection(pushSchema),
    timezone: timeZone({ default: 'UTC' }),
    imap: optionalSection(imapSchema),
  },
  (app, report, ctx) => {
    const folder = basename(ctx.dir);
    if (app.name !== folder) report(['name'], `the app's folder name "${folder}"`, JSON.stringify(app.name));
    if (app.auth.welcomeMail !== null && app.smtp === null)
      report(['auth', 'welcome_mail'], 'an smtp: section to send it with', 'none');
    if (app.auth.verifyEmail && app.smtp === null)
      report(['auth', 'verify_email'], 'an smtp: section to mail the links with', 'none');
    if (app.auth.minPasswordLength !== null) app.auth.password.minLength = app.auth.minPasswordLength;
    if (app.auth.lockoutMaxS < app.auth.lockoutS)
      report(
        ['auth', 'lockout_max'],
        `at least auth.lockout (${app.auth.lockoutS}s)`,
        `${app.auth.lockoutMaxS}s`,
      );
    const names = new Set<string>();
    app.modules.forEach((module, index) => {
      if (names.has(module.name)) report(['modules', index], 'modules with distinct names', module.name);
      names.add(module.name);
    });
  },
);

// Compile-time proof that the schema produces the typed config (the loader adds `dir`).
export const appConfigBody: Schema<Omit<AppConfig, 'dir'>> = appConfigSchema;
