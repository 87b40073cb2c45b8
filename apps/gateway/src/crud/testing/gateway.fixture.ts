import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { TokenService, type TokenClaims } from '@sogoms/auth';
import { loadGlobalConfig } from '@sogoms/config';
import { createConfigFixture, type YamlData } from '@sogoms/config/testing';
import {
  adminConnection,
  dropDatabases,
  MARIADB,
  RecordedLogs,
  rejectionOf,
  testDatabaseName,
} from '@sogoms/db/testing';
import { SogomsError } from '@sogoms/common';
import { LogReporter, type SqlValue } from '@sogoms/ipc';
import type { LightMyRequestResponse } from 'fastify';
import type mysql from 'mysql2/promise';
import qs from 'qs';
import { parse } from 'yaml';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../../core/gateway-options.js';
import { ErrorEnvelopeFilter } from '../../http/error-envelope.filter.js';
import { GatewayIpcModule } from '../../ipc/gateway-ipc.module.js';
import { hostRewrite } from '../../routing/host-rewrite.js';
import type { AppRuntime } from '../../runtime/app-runtime.js';
import { GatewayState } from '../../snapshot/gateway-state.js';
import { SnapshotModule } from '../../snapshot/snapshot.module.js';

/**
 * The demo app (config/apps/prokov) behind a Nest testing module of the gateway, on a fresh
 * MariaDB database: the specs of services and controllers run the production wiring with
 * `transport.kind: inprocess`, so a real db module and a real database answer every statement.
 */
export const FIXTURE_APP = 'prokov';
export const FIXTURE_HOST = 'prokov.test';

const PROKOV = resolve(import.meta.dirname, '../../../../../config/apps/prokov');

/** The plumbing GatewayModule gives every feature module: peers, snapshot, options (all global). */
@Global()
@Module({})
class GatewayCoreTestingModule {
  static forRoot(options: GatewayOptions): DynamicModule {
    return {
      module: GatewayCoreTestingModule,
      imports: [GatewayIpcModule.forRoot(options), SnapshotModule],
      providers: [{ provide: GATEWAY_OPTIONS, useValue: options }],
      exports: [GATEWAY_OPTIONS],
    };
  }
}

export interface GatewayFixture {
  app: NestFastifyApplication;
  runtime: AppRuntime;
  database: string;
  /** What the gateway reported to the logs service (kept in memory). */
  logs: RecordedLogs;
  /** A direct connection to the app's database, to arrange and check rows behind the API's back. */
  sql: mysql.Connection;
  /** Inserts a user (with a hash no password matches) and answers its claims. */
  user(email: string, role?: 'default' | 'admin'): Promise<TokenClaims>;
  /** Inserts one row behind the API's back and answers its auto id (0 without one). */
  insert(table: string, row: Record<string, SqlValue>): Promise<number>;
  /** The rows of a SELECT run behind the API's back. */
  select(query: string, params?: SqlValue[]): Promise<Record<string, unknown>[]>;
  /** A token the app accepts for `claims`. */
  token(claims: TokenClaims): Promise<string>;
  /** One HTTP request to the app through Fastify (`path` below the base path, e.g. `/tasks`). */
  request(method: string, path: string, options?: RequestOptions): Promise<Answer>;
  close(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON; a string is sent as it is (with a content-type of `headers`). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- envelopes are read by the assertions
  raw: LightMyRequestResponse;
}

export interface GatewayFixtureOptions {
  /** The feature modules under test (CrudModule, AuthModule, ...). */
  features: Type[];
  /** A short name for the database (`sogoms_test_db_<label>_<random>`). */
  label: string;
  /** Copy the demo's scenarios (its `auth/login` enriches a login). */
  scenarios?: boolean;
  /** Edits the demo's schema.yaml tables before the gateway reads them. */
  editTables?: (tables: Record<string, YamlData>) => void;
  /** More files of the app, by path in its folder (e.g. `queries/statuses.yaml`). */
  files?: Record<string, string | YamlData>;
}

/** The demo schema with the edits the specs need: admins see every task, the email is plain. */
const schemaYaml = (edit: GatewayFixtureOptions['editTables']): YamlData => {
  const schema = parse(readFileSync(join(PROKOV, 'schema.yaml'), 'utf8')) as YamlData & {
    tables: Record<string, YamlData>;
  };
  schema.tables.tasks.owner_bypass = ['admin'];
  // The specs run on sql/schema.sql alone, email plain (encryption has suites of its own).
  const email = (schema.tables.users.fields as Record<string, YamlData>).email;
  delete email.encrypted;
  delete email.searchable;
  edit?.(schema.tables);
  return schema;
};

export const startGatewayFixture = async (options: GatewayFixtureOptions): Promise<GatewayFixture> => {
  const database = testDatabaseName(options.label);
  const config = createConfigFixture();
  const runDir = join(dirname(config.root), 'run');
  mkdirSync(runDir);
  config.global({
    run_dir: runDir,
    log_dir: join(dirname(config.root), 'logs'),
    transport: { kind: 'inprocess' },
    gateway: { host: '127.0.0.1', port: 0 },
  });
  config.app(FIXTURE_APP, {
    hosts: [FIXTURE_HOST],
    base_path: '/api',
    database: { ...MARIADB, name: database, pool_size: 4, init: [join(PROKOV, 'sql/schema.sql')] },
    auth: { role_field: 'role' },
  });
  config.write(`apps/${FIXTURE_APP}/schema.yaml`, schemaYaml(options.editTables));
  for (const [path, content] of Object.entries(options.files ?? {}))
    config.write(`apps/${FIXTURE_APP}/${path}`, content);
  if (options.scenarios === true)
    cpSync(join(PROKOV, 'scenarios'), join(config.root, `apps/${FIXTURE_APP}/scenarios`), {
      recursive: true,
    });

  const logs = new RecordedLogs();
  const gatewayOptions = { configRoot: config.root, global: loadGlobalConfig(config.root) };
  let moduleRef: TestingModule | undefined;
  let app: NestFastifyApplication | undefined;
  let sql: mysql.Connection | undefined;
  const close = async (): Promise<void> => {
    await sql?.end();
    // Closing the app closes its module (and the in-process pools with it).
    await (app ?? moduleRef)?.close();
    await dropDatabases([database]);
    config.remove();
  };
  try {
    // Only the logs peer is replaced: the gateway's reports stay in memory instead of a socket.
    moduleRef = await Test.createTestingModule({
      imports: [GatewayCoreTestingModule.forRoot(gatewayOptions), ...options.features],
    })
      .overrideProvider(LogReporter)
      .useValue(logs.reporter)
      .compile();
    const state = moduleRef.get(GatewayState);
    // As in main.ts: the host rewrite, bracket query strings, JSON bodies only, one error envelope.
    const adapter = new FastifyAdapter({
      rewriteUrl: hostRewrite(() => state),
      routerOptions: { querystringParser: (query) => qs.parse(query, { depth: 5, arrayLimit: 100 }) },
    });
    adapter.getInstance().removeContentTypeParser('text/plain');
    app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, {
      bodyParser: false,
      logger: false,
    });
    app.useGlobalFilters(new ErrorEnvelopeFilter(logs.reporter));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    sql = await adminConnection(database);
  } catch (error) {
    await close();
    throw error;
  }
  return gatewayFixture({ app, sql, database, logs, close });
};

type Started = Pick<GatewayFixture, 'app' | 'sql' | 'database' | 'logs' | 'close'>;

/** The helpers of a started fixture. */
const gatewayFixture = (started: Started): GatewayFixture => {
  const { app, sql } = started;
  const runtime = app.get(GatewayState).current.runtimes.get(FIXTURE_APP)!;
  const tokens = app.get(TokenService);
  const insert = async (table: string, row: Record<string, SqlValue>): Promise<number> => {
    const [result] = await sql.query<mysql.ResultSetHeader>('INSERT INTO ?? SET ?', [table, row]);
    return result.insertId;
  };
  return {
    ...started,
    runtime,
    user: async (email, role = 'default') => {
      const id = await insert('users', { email, password_hash: 'not-a-bcrypt-hash', role });
      return { sub: String(id), role, email };
    },
    insert,
    select: async (query, params = []) => (await sql.query<mysql.RowDataPacket[]>(query, params))[0],
    token: (claims) => tokens.sign(runtime.tokenKey, claims),
    request: async (method, path, { token, body, headers = {} } = {}) => {
      const raw = await app.inject({
        method: method as 'GET',
        url: `/api${path}`,
        headers: {
          host: FIXTURE_HOST,
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : (body as object) }),
      });
      return { status: raw.statusCode, json: raw.body === '' ? undefined : raw.json<unknown>(), raw };
    },
  };
};

/** The SogomsError a call rejects with; success or any other error fails the test. */
export const failureOf = async (work: Promise<unknown>): Promise<SogomsError> => {
  const error = await rejectionOf(work);
  if (error instanceof SogomsError) return error;
  throw new Error(`expected a SogomsError, got ${String(error)}`, { cause: error });
};

/** The error envelope every refused request answers. */
export const errorEnvelope = (code: string, message: string, details: unknown = null) => ({
  success: false,
  error: { code, message, details },
});
