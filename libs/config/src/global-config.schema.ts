import { LOG_LEVELS, type GlobalConfig, type LogLevel } from './config.types.js';
import { list, object, optionalSection, outputAs, tagged, type Schema } from './schema/config-schema.js';
import { bool, durationSeconds, int, oneOf, optional, path, text } from './schema/scalar-schemas.js';

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
    trust_proxy: list(
      text({
        pattern: /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/,
        format: 'an IP address or CIDR of a proxy (e.g. 127.0.0.1 or 10.0.0.0/8)',
      }),
      { default: [] },
    ),
    rate_limit: object({
      enabled: bool({ default: false }),
      requests: int({ min: 1, default: 600 }),
      window: outputAs('windowS', durationSeconds({ default: 60 })),
    }),
  }),
  admin: object({
    host: text({ default: '0.0.0.0' }),
    port: int({ min: 0, max: 65535, default: 9000 }),
    // Server-side sessions (docs/admin.md): idle and absolute lifetimes.
    session_idle: outputAs('sessionIdleS', durationSeconds({ default: 30 * 60 })),
    session_absolute: outputAs('sessionAbsoluteS', durationSeconds({ default: 12 * 3600 })),
    trust_proxy: list(
      text({
        pattern: /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/,
        format: 'an IP address or CIDR of a proxy (e.g. 127.0.0.1 or 10.0.0.0/8)',
      }),
      { default: [] },
    ),
  }),
  db: object({
    slow_query_ms: int({ min: 0, default: 500 }),
    // Absent: a share of the server's own max_connections, read at start (docs/db.md, Budget).
    max_connections: optional(int({ min: 1, max: 100_000 })),
    acquire_timeout_ms: int({ min: 1, default: 2000 }),
    max_waiting: int({ min: 0, max: 1_000_000, default: 1000 }),
  }),
  // The push service (docs/push.md): its own MQTT broker, or an existing one it publishes to.
  push: object(
    {
      broker: oneOf<GlobalConfig['push']['broker']>(['embedded', 'external'], { default: 'embedded' }),
      host: text({ default: '0.0.0.0' }),
      // 1884, not 1883: these machines often run a Mosquitto on 1883 already.
      port: int({ min: 0, max: 65535, default: 1884 }),
      ws_port: int({ min: 0, max: 65535, default: 9001 }),
      retention_hours: int({ min: 1, max: 24 * 366, default: 24 }),
      external: optionalSection(
        object({
          url: text({
            pattern: /^(mqtt|mqtts|ws|wss):\/\/[^\s]+$/,
            format: 'a broker URL like mqtt://127.0.0.1:1883',
          }),
          username: optional(text()),
          password: optional(text({ min: 0, secret: true })),
          client_id: text({
            pattern: /^[A-Za-z0-9_-]{1,64}$/,
            format: 'an MQTT client id',
            default: 'sogoms-push',
          }),
        }),
      ),
    },
    (push, report) => {
      if (push.broker === 'external' && push.external === null)
        report(['external'], 'an external: section with the url of the broker (broker: external)', 'nothing');
      if (push.broker === 'embedded' && push.port !== 0 && push.port === push.wsPort)
        report(['ws_port'], 'a port other than push.port', String(push.wsPort));
    },
  ),
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
