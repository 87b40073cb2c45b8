import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { readConfigFile, type ConfigScope } from './config-file.reader.js';
import { defaultNodeArgs } from './default-node-args.js';
import { TRANSPORT_KINDS, type ReloadSignal, type SupervisorConfig } from './config.types.js';
import {
  describeValue,
  list,
  object,
  tagged,
  type ScalarSchema,
  type Schema,
} from './schema/config-schema.js';
import { int, oneOf, text } from './schema/scalar-schemas.js';

const SERVICE_NAME = /^[a-z][a-z0-9_-]*$/;
const SERVICE_NAME_FORMAT = 'a service name matching [a-z][a-z0-9_-]*';
/** `sogoctl.sock` is the control socket in the same run dir as the services' sockets. */
const RESERVED_NAMES = new Set(['sogoctl']);
const RELOAD_SIGNALS: readonly ReloadSignal[] = ['SIGHUP', 'SIGUSR1', 'SIGUSR2'];

/** An optional scalar: absent or null reads as null. */
const optional = <T>(schema: ScalarSchema<T>): ScalarSchema<T | null> => ({
  ...schema,
  expected: `${schema.expected}, or nothing`,
  read: (value, at, ctx) => (value === undefined || value === null ? null : schema.read(value, at, ctx)),
});

/** An optional list: absent or null reads as undefined. */
const optionalList = <T>(schema: Schema<T[]>): Schema<T[] | undefined> => ({
  ...schema,
  expected: `${schema.expected}, or nothing`,
  read: (value, at, ctx) => (value === undefined || value === null ? undefined : schema.read(value, at, ctx)),
});

const timing = {
  interval_ms: int({ min: 10, default: 1000 }),
  timeout_ms: int({ min: 10, default: 1000 }),
};

const serviceSchema = object({
  name: text({ pattern: SERVICE_NAME, format: SERVICE_NAME_FORMAT }),
  entry: text({ format: 'a script path relative to the project root (e.g. dist/bundle/db/main.js)' }),
  depends_on: list(text({ pattern: SERVICE_NAME, format: SERVICE_NAME_FORMAT }), {
    default: [],
    unique: true,
  }),
  health: tagged(
    'kind',
    {
      socket: object(timing),
      http: object({
        // The probe speaks plain HTTP to a local port; TLS is a proxy's business.
        url: text({
          pattern: /^http:\/\/[^\s/?#]+(\/\S*)?$/,
          format: 'an http:// URL (e.g. http://127.0.0.1:8080/health)',
        }),
        ...timing,
      }),
    },
    { default: { kind: 'socket', intervalMs: 1000, timeoutMs: 1000 } },
  ),
  start_timeout_s: int({ min: 1, default: 20 }),
  reload_signal: optional(oneOf(RELOAD_SIGNALS)),
  transports: list(oneOf(TRANSPORT_KINDS), { default: [...TRANSPORT_KINDS], unique: true, min: 1 }),
  // Absent: the built-in options of a service of that name (default-node-args.ts).
  node_args: optionalList(
    list(
      text({
        pattern: /^--?[A-Za-z][\w-]*(?:=\S+)?$/,
        format: 'a node option such as --max-semi-space-size=1',
      }),
    ),
  ),
});

/** config/sogoctl.yaml. Defaults are documented in config.types.ts and docs/supervisor.md. */
export const supervisorConfigSchema = object(
  {
    restart: object(
      {
        initial_delay_ms: int({ min: 1, default: 200 }),
        max_delay_ms: int({ min: 1, default: 10_000 }),
        reset_after_ms: int({ min: 0, default: 60_000 }),
      },
      (restart, report) => {
        if (restart.maxDelayMs < restart.initialDelayMs) {
          report(
            ['max_delay_ms'],
            `at least initial_delay_ms (${restart.initialDelayMs})`,
            String(restart.maxDelayMs),
          );
        }
      },
    ),
    stop_grace_ms: int({ min: 0, default: 5000 }),
    services: list(serviceSchema, { min: 1 }),
  },
  (config, report) => {
    const names = config.services.map((service) => service.name);
    const seen = new Set<string>();
    config.services.forEach((service, i) => {
      if (RESERVED_NAMES.has(service.name)) {
        report(
          ['services', i, 'name'],
          `a name other than ${[...RESERVED_NAMES].join(', ')}`,
          describeValue(service.name),
        );
      } else if (seen.has(service.name)) {
        report(['services', i, 'name'], 'a name no other service has', describeValue(service.name));
      }
      seen.add(service.name);
      service.dependsOn.forEach((dependency, j) => {
        const others = names.filter((name) => name !== service.name);
        if (!others.includes(dependency)) {
          const expected =
            others.length === 0
              ? 'no dependency (there is no other service)'
              : `one of the other services (${others.join(', ')})`;
          report(['services', i, 'depends_on', j], expected, describeValue(dependency));
        }
      });
    });
  },
);

// Compile-time proof that the schema produces the typed config (entries are made absolute after reading).
const supervisorConfigBody: Schema<SupervisorConfig> = supervisorConfigSchema;

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * Reads `{scope.root}/sogoctl.yaml`; entries become absolute against `projectRoot` and must exist
 * (a missing one usually means "run npm run build"). Problems go to the scope.
 */
export const readSupervisorConfig = (
  scope: ConfigScope,
  projectRoot: string,
): SupervisorConfig | undefined => {
  const { value, report } = readConfigFile(join(scope.root, 'sogoctl.yaml'), supervisorConfigBody, scope);
  if (value === undefined) return undefined;
  let entriesExist = true;
  const services = value.services.map((service, i) => {
    const entry = resolve(projectRoot, service.entry);
    if (!isFile(entry)) {
      entriesExist = false;
      report(
        ['services', i, 'entry'],
        `an existing file relative to the project root ${projectRoot} (run npm run build?)`,
        `${describeValue(service.entry)} (no such file)`,
      );
    }
    return { ...service, entry, nodeArgs: service.nodeArgs ?? defaultNodeArgs(service.name) };
  });
  return entriesExist ? { ...value, services } : undefined;
};

export interface LoadSupervisorConfigOptions {
  /** Base of relative `entry` paths. Default: the config root's parent (`./config` → `.`). */
  projectRoot?: string;
  /** Environment for `*_env` keys. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `{configRoot}/sogoctl.yaml`, validated. Throws ConfigError listing every problem. */
export const loadSupervisorConfig = (
  configRoot: string,
  options: LoadSupervisorConfigOptions = {},
): SupervisorConfig => {
  const root = resolve(configRoot);
  const scope: ConfigScope = { root, env: options.env ?? process.env, problems: [] };
  const config = readSupervisorConfig(scope, resolve(options.projectRoot ?? dirname(root)));
  if (config === undefined || scope.problems.length > 0) throw new ConfigError(scope.problems);
  return config;
};
