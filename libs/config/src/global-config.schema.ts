import { LOG_LEVELS, type GlobalConfig, type LogLevel } from './config.types.js';
import { list, object, tagged, type Schema } from './schema/config-schema.js';
import { bool, int, oneOf, path, text } from './schema/scalar-schemas.js';

const proxyAddress = text({
  pattern: /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/,
  format: 'an IP address or CIDR range like 127.0.0.1 or 10.0.0.0/8',
});

/** config/sogoms.yaml. Defaults are documented in config.types.ts and docs/configuration.md. */
export const globalConfigSchema = object({
  run_dir: path({ base: 'root', default: '../run' }),
  log_dir: path({ base: 'root', default: '../logs' }),
  log_level: oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
  transport: tagged(
    'kind',
    {
      unix: object({}),
      // The db module runs inside the gateway; the other services talk over Unix sockets.
      inprocess: object({}),
      nats: object({
        servers: list(
          text({ pattern: /^(nats|tls):\/\/[^\s/]+$/, format: 'a NATS URL like nats://127.0.0.1:4222' }),
          {
            min: 1,
          },
        ),
      }),
    },
    { default: { kind: 'unix' } },
  ),
  ipc: object({
    timeout_ms: int({ min: 1, default: 5000 }),
    max_frame_bytes: int({ min: 1024, default: 16 * 1024 * 1024 }),
  }),
  gateway: object({
    host: text({ default: '0.0.0.0' }),
    port: int({ min: 0, max: 65535, default: 8080 }),
    body_limit_bytes: int({ min: 1, default: 1024 * 1024 }),
    // Off by default: at 100 % the bench lost a third of its throughput (docs/bench.md).
    request_log_percent: int({ min: 0, max: 100, default: 0 }),
    // X-Forwarded-For is believed only from these peers (the reverse proxy); none by default.
    trusted_proxies: list(proxyAddress, { default: [] }),
  }),
  admin: object({
    host: text({ default: '0.0.0.0' }),
    port: int({ min: 0, max: 65535, default: 9000 }),
  }),
  db: object({
    slow_query_ms: int({ min: 0, default: 500 }),
  }),
  metrics: object({
    enabled: bool({ default: true }),
    // Served by the supervisor, never on the public port.
    host: text({ default: '127.0.0.1' }),
    port: int({ min: 1, max: 65535, default: 9464 }),
    report_interval_ms: int({ min: 100, default: 5000 }),
  }),
});

// Compile-time proof that the schema produces the typed config (the loader adds `root`).
export const globalConfigBody: Schema<Omit<GlobalConfig, 'root'>> = globalConfigSchema;
