/**
 * Typed configuration, produced once at start-up by the loaders from YAML.
 * Every path here is absolute (resolved against the config root at load time).
 */

/** `inprocess`: the db module runs inside the gateway (no db service); the other services use `unix`. */
export type TransportConfig = { kind: 'unix' } | { kind: 'inprocess' } | { kind: 'nats'; servers: string[] };

export type TransportKind = TransportConfig['kind'];
export const TRANSPORT_KINDS: readonly TransportKind[] = ['unix', 'inprocess', 'nats'];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** config/sogoms.yaml */
export interface GlobalConfig {
  /** Absolute path of the config root (the folder holding sogoms.yaml). */
  root: string;
  /** Where sockets and pid files live (`{run_dir}/{service}.sock`). Default `../run` of the config root. */
  runDir: string;
  /** Where the logs service writes `{app}-{YYYYMMDD}-{type}.log`. Default `../logs`. */
  logDir: string;
  /** The services' own log (JSON lines on stdout): the least severe level written. Default info. */
  logLevel: LogLevel;
  transport: TransportConfig;
  ipc: {
    /** Per-call timeout for request/response over IPC. Default 5000. */
    timeoutMs: number;
    /** Largest accepted frame, either direction. Default 16 MiB. */
    maxFrameBytes: number;
  };
  gateway: {
    host: string; // default 0.0.0.0
    port: number; // default 8080
    /** Largest request body. Default 1 MiB. */
    bodyLimitBytes: number;
    /** Share of requests logged (one line each, at info): 0 = none, 100 = all. Default 0. */
    requestLogPercent: number;
    /**
     * Addresses or CIDRs of the reverse proxies whose `X-Forwarded-For` is believed for the
     * client's IP (login limits, rate limit, sessions). Default none: the socket's address.
     */
    trustProxy: string[];
    /** Requests per client IP within `windowS`, per gateway process, across every app. Off by default. */
    rateLimit: { enabled: boolean; requests: number; windowS: number };
  };
  admin: {
    host: string; // default 0.0.0.0
    port: number; // default 9000
    /** A session unused this long ends. Default 30 min. */
    sessionIdleS: number;
    /** A session ends this long after login, used or not. Default 12 h. */
    sessionAbsoluteS: number;
    /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (client IP, Secure cookie). Default none. */
    trustProxy: string[];
  };
  db: {
    /** Statements slower than this are reported to the logs service. Default 500. */
    slowQueryMs: number;
    /**
     * Connections SOGOMS opens to one database server, shared by every app on it (each app's
     * `pool_size` is its ceiling within it). Null (default): the server's `max_connections`
     * minus a fifth of it (at least 5), read at start.
     */
    maxConnections: number | null;
    /** How long a statement waits for a free connection before UNAVAILABLE (503). Default 2000. */
    acquireTimeoutMs: number;
    /** Statements that may wait per server; beyond it they get UNAVAILABLE at once. Default 1000. */
    maxWaiting: number;
  };
  push: PushConfig;
  /** Prometheus metrics, served by the supervisor on their own listener. */
  metrics: {
    enabled: boolean; // default true
    host: string; // default 127.0.0.1
    port: number; // default 9464
    /** How often each service sends its metrics to the supervisor. Default 5000. */
    reportIntervalMs: number;
  };
}

/** sogoms.yaml `push:` (docs/push.md). */
export interface PushConfig {
  /** `embedded` (default): the push service runs its own broker; `external`: it publishes to `external.url`. */
  broker: 'embedded' | 'external';
  /** Where the embedded broker listens. Default 0.0.0.0. */
  host: string;
  /** MQTT over TCP. Default 1884. */
  port: number;
  /** MQTT over WebSocket, path `/mqtt`. Default 9001. */
  wsPort: number;
  /** Events are kept in each app's outbox this long for `GET {base}/_events`. Default 24. */
  retentionHours: number;
  /** The broker of `broker: external`, and the push service's own credentials there. */
  external: { url: string; username: string | null; password: string | null; clientId: string } | null;
}

export interface DatabaseConfig {
  /** The engine: MariaDB/MySQL over the network, or an SQLite file. Default mariadb. */
  driver: 'mariadb' | 'sqlite';
  host: string; // default 127.0.0.1
  port: number; // default 3306
  user: string; // default root
  password: string; // default '' (inline, password_file or password_env)
  /** The database (schema) name: required for mariadb; for sqlite, the file's name without extension. */
  name: string;
  /** sqlite: the database file (absolute; given relative to the config root). Null for mariadb. */
  file: string | null;
  poolSize: number; // default 10
  /**
   * Create the database and run these SQL files (absolute paths, in order) when it does not
   * exist yet. Used by the demo app; empty for a database that SOGOMS only points at.
   */
  init: string[];
  /**
   * The database to use when the primary cannot be reached at start (the demo: an SQLite file).
   * Null: none, the primary must be there.
   */
  fallback: DatabaseFallback | null;
  /**
   * Set when this configuration runs on the fallback (sogoctl found the primary unreachable at
   * start): driver, file and init above are then the fallback's, and this says why.
   */
  onFallback?: { reason: string };
}

export interface DatabaseFallback {
  driver: 'sqlite';
  file: string;
  init: string[];
}

export interface AuthConfig {
  /** HS256 secret, at least 32 characters (inline, jwt_secret_file or jwt_secret_env). */
  jwtSecret: string;
  /** Token lifetime in seconds (YAML accepts `3600`, `15m`, `12h`, `7d`). Default 7d. */
  jwtExpiresInS: number;
  /** The users table and its columns. Defaults: users, id, email, password_hash, role. */
  usersTable: string;
  idField: string;
  loginField: string;
  passwordField: string;
  /** Column holding the role; absent (null) means every user is `default`. */
  roleField: string | null;
  /** The older spelling of `password.minLength` (copied into it when given). Null: not given. */
  minPasswordLength: number | null;
  /** Rules for register, reset, change and `sogoms user create` (docs/configuration.md). */
  password: PasswordRulesConfig;
  /**
   * The template (emails/{name}.yaml) mailed to a new user after `POST /auth/register`, with
   * vars `email` and `name`. Null (default): none. Needs `smtp:`.
   */
  welcomeMail: string | null;
  /** Refresh-token lifetime in seconds (a session ends this long after its last refresh). Default 30d. */
  refreshTtlS: number;
  /** Column whose truthy value disables an account (no login, no refresh). Null (default): none. */
  disabledField: string | null;
  /** Password-reset token lifetime in seconds. Default 30m. */
  resetTtlS: number;
  /** Template of the reset mail (vars email, name, token, link, expires_minutes). Default `password-reset`. */
  resetMail: string;
  /** Link put in the reset mail, `{token}` replaced. Null: the mail carries the token only. */
  resetUrl: string | null;
  /** Login refused (403 EMAIL_NOT_VERIFIED) until the email is verified. Default false. */
  verifyEmail: boolean;
  /** Column set to the verification time (NULL: not verified). Default `email_verified_at`. */
  verifiedField: string;
  verifyTtlS: number; // default 2d
  /** Template of the verification mail (vars email, name, token, link, expires_minutes). Default `verify-email`. */
  verifyMail: string;
  verifyUrl: string | null;
  /** Failed logins of one account within `failureWindowS` before it is locked. Default 5. */
  maxFailures: number;
  /** Failed logins from one IP (any accounts) within the window before it is locked. Default 20. */
  ipMaxFailures: number;
  failureWindowS: number; // default 15m
  /** First lock's length in seconds; each further lock doubles it up to `lockoutMaxS`. Defaults 60 and 1h. */
  lockoutS: number;
  lockoutMaxS: number;
  /** Reset and verification mails asked for per address, and per IP, within `mailWindowS`. Defaults 3, 20, 1h. */
  mailPerAddress: number;
  mailPerIp: number;
  mailWindowS: number;
}

/** app.yaml `auth.password:` (the same shape as @sogoms/auth's PasswordRules). */
export interface PasswordRulesConfig {
  minLength: number; // default 8
  minDistinct: number; // default 3
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
  rejectCommon: boolean; // default true
  rejectEmail: boolean; // default true
}

/** config/apps/{app}/app.yaml */
export interface AppConfig {
  name: string; // [a-z][a-z0-9_-]*, equals the folder name
  version: string;
  /** Lower-case host names without port. */
  hosts: string[];
  /** Starts with `/`, no trailing slash. Default `/api`. */
  basePath: string;
  /** Absolute path of the app folder (config/apps/{app}). */
  dir: string;
  database: DatabaseConfig;
  auth: AuthConfig;
  logs: { retentionDays: number }; // default 14
  /** How long `Idempotency-Key`s of creates are kept (app.yaml `idempotency.retention`). Default 24 h. */
  idempotency: { retentionS: number };
  /** Who may read `{base}/_openapi.json` and `{base}/_docs`: anyone, or callers with a token. Default private. */
  docs: 'public' | 'private';
  /** Code that extends the generated API (app.yaml `modules:`), in load order. Default none. */
  modules: AppModuleSpec[];
  /** The SMTP server the mailer sends this app's mail through (app.yaml `smtp:`). Null: the app sends no mail. */
  smtp: SmtpConfig | null;
  /** The IMAP accounts the mailer reads for this app (app.yaml `imap:`, docs/mail-in.md). Null: none. */
  imap: ImapConfig | null;
  /** The app's IANA time zone: its cron jobs' default (docs/cron.md). Default UTC. */
  timezone: string;
  /** CRUD events published by the push service (app.yaml `push:`). Null: none. */
  push: AppPushConfig | null;
}

/** app.yaml `imap:` (docs/mail-in.md). */
export interface ImapConfig {
  accounts: ImapAccountConfig[];
}

export interface ImapAccountConfig {
  /** Unique in the app ([a-z][a-z0-9_-]*): names the account in commands and in the processed-message records. */
  name: string;
  host: string;
  port: number; // default 993
  /** Implicit TLS (port 993, default true); false: plain, upgraded with STARTTLS when offered. */
  tls: boolean;
  /** Default true; false accepts any certificate (a self-signed server on a trusted network). */
  rejectUnauthorized: boolean;
  user: string;
  /** May come from pass_file or pass_env. */
  pass: string;
  /** Folders the watcher keeps an IDLE connection on and runs mailrules.yaml for. Default [INBOX]. */
  watch: string[];
  /** Seconds between two looks at a folder when the server has no IDLE. Default 60. */
  pollS: number;
  /** Where a message that matched a rule but could not be processed goes. Default `failed`. */
  failedFolder: string;
}

/** app.yaml `push:` (docs/push.md). */
export interface AppPushConfig {
  /** Tables whose creates, updates and deletes are published, by table name. */
  tables: Record<string, PushTableConfig>;
}

export interface PushTableConfig {
  /** The last topic level: `{app}/user/{id}/{channel}` or `{app}/broadcast/{channel}`. Required. */
  channel: string;
  /**
   * `owner` (default): to the row owner's topic, only for an owner-filtered table (else nothing
   * is published); `broadcast`: to every user of the app, only for a table that is not owner-filtered.
   */
  audience: 'owner' | 'broadcast';
}

/** app.yaml `smtp:` (docs/mailer.md). */
export interface SmtpConfig {
  host: string;
  port: number; // default 587
  /** Implicit TLS from the first byte (port 465). Default false. */
  secure: boolean;
  /** Upgrade a plain connection: must (`required`), if offered (`opportunistic`, default) or never (`off`). */
  starttls: 'required' | 'opportunistic' | 'off';
  /** Null: no AUTH. `pass` may come from pass_file or pass_env. */
  auth: { user: string; pass: string } | null;
  /** The default From of every message. */
  from: string;
  replyTo: string | null;
  /** SMTP connections the worker keeps open per app. Default 2. */
  pool: number;
  /** Messages per second at most; 0 (default): no limit. */
  ratePerSecond: number;
  tls: {
    /** A CA certificate (PEM) to trust, relative to app.yaml. */
    caFile: string | null;
    /** Default true; false accepts any certificate (tests, self-signed peers on a trusted network). */
    rejectUnauthorized: boolean;
  };
  /** Attempts before a message is dead. Default 8. */
  maxAttempts: number;
  /** Sent and dead rows are kept this long, then purged. Default 30. */
  historyDays: number;
}

/** One entry of app.yaml `modules:` (see docs/api.md, "Modules and hooks"). */
export interface AppModuleSpec {
  /** Unique per app; the `name:` given, else the file name without extension, else the package name. */
  name: string;
  /** `file`: an ESM file of the config tree, loaded without a build; `package`: an installed package. */
  kind: 'file' | 'package';
  /** The absolute file path, or the package specifier. */
  target: string;
  /** Handed to the module as is (`options:` in app.yaml). Default {}. */
  options: Record<string, unknown>;
}

/** config/sogoctl.yaml */
interface HealthTiming {
  intervalMs: number; // default 1000
  timeoutMs: number; // default 1000
}

/** `socket`: connect to `{run_dir}/{service}.sock`; `http`: GET `url` answers 2xx. */
export type ServiceHealth = ({ kind: 'socket' } | { kind: 'http'; url: string }) & HealthTiming;

/** Signals a service may take as "re-read your configuration" (`sogoms reload`). */
export type ReloadSignal = 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2';

export interface ServiceSpec {
  /** [a-z][a-z0-9_-]*, unique; its socket is `{run_dir}/{name}.sock`. */
  name: string;
  /** Absolute path of the entry script (YAML: relative to the project root, e.g. dist/bundle/db/main.js). */
  entry: string;
  /** Names of services that must be healthy before this one starts. */
  dependsOn: string[];
  health: ServiceHealth;
  /** Seconds to wait for the first healthy check at start. Default 20. */
  startTimeoutS: number;
  /** Sent by `sogoms reload`; null (default): the service is not signalled. */
  reloadSignal: ReloadSignal | null;
  /**
   * The `transport.kind`s under which the service runs (default: all). The db service lists
   * `[unix, nats]`: with `inprocess` its module runs inside the gateway and it is not started.
   */
  transports?: TransportKind[];
  /**
   * Options for the service's `node` (before its entry), e.g. `--max-semi-space-size=1` to keep
   * a small service's young generation (and RSS) small. Default: the built-in options of a
   * service of that name (DEFAULT_NODE_ARGS: the logs service's), none for any other.
   */
  nodeArgs?: string[];
}

export interface SupervisorConfig {
  /** In the order of the file; the supervisor sorts them by dependency. */
  services: ServiceSpec[];
  restart: {
    initialDelayMs: number; // default 200
    maxDelayMs: number; // default 10000
    /** A service healthy this long gets its backoff reset to the initial delay. Default 60000. */
    resetAfterMs: number;
  };
  /** Time between SIGTERM and SIGKILL when stopping a service. Default 5000. */
  stopGraceMs: number;
}
