import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAnswer, freePort, httpCall, waitFor } from './http-call.js';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection, type MysqlServer } from './mysql-server.js';
import { PROJECT_ROOT } from './project-root.js';
import { ensureSakila } from './sakila-loader.js';

/** Directus 12.4.0 running on its own copy of Sakila, with a reader's static token. */
export interface DirectusPeer {
  port: number;
  pid: number;
  token: string;
  database: string;
  stop(): Promise<void>;
}

// 12.4.1 does not install (a dependency version missing from the registry): see stack-notes.
const DIRECTUS_VERSION = '12.4.0';
const PEERS_DIR = join(PROJECT_ROOT, 'bench/.peers');
export const DIRECTUS_DB = 'sogoms_bench_directus';
// Directus refuses addresses in reserved TLDs such as .test.
const ADMIN = { email: 'admin@example.com', password: 'bench-admin-2026' };
const READER = {
  email: 'bench-reader@example.com',
  password: 'bench-reader-2026',
  token: 'sogoms-bench-reader-static-token',
};
/** What the reader may do: the scenarios' tables (read) and the write scenario's payments. */
const READ = ['film', 'rental', 'customer', 'inventory', 'payment', 'language', 'address', 'store', 'staff'];

type Log = (line: string) => void;

const run = (
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output.slice(-1500)}`));
    });
  });

/** Installs directus into bench/.peers (ignored by git; not a dependency of the project) unless it is there. */
const installDirectus = async (log: Log): Promise<string> => {
  const manifest = join(PEERS_DIR, 'node_modules/directus/package.json');
  const installed =
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === DIRECTUS_VERSION;
  if (!installed) {
    log(`installing directus@${DIRECTUS_VERSION} into bench/.peers (takes minutes)`);
    mkdirSync(PEERS_DIR, { recursive: true });
    writeFileSync(
      join(PEERS_DIR, 'package.json'),
      `${JSON.stringify({ name: 'sogoms-bench-peers', private: true, dependencies: { directus: DIRECTUS_VERSION } }, null, 2)}\n`,
    );
    const started = Date.now();
    await run(
      'flock',
      ['/tmp/npm.lock', 'npm', 'install', '--no-audit', '--no-fund', '--loglevel=error'],
      PEERS_DIR,
      process.env,
      20 * 60_000,
    );
    log(`directus installed in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return join(PEERS_DIR, 'node_modules/directus/cli.js');
};

const directusEnv = (server: MysqlServer, port: number, scratch: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DB_CLIENT: 'mysql',
  DB_HOST: server.host,
  DB_PORT: String(server.port),
  DB_USER: server.user,
  DB_PASSWORD: server.password,
  DB_DATABASE: DIRECTUS_DB,
  KEY: randomBytes(16).toString('hex'),
  SECRET: randomBytes(32).toString('hex'),
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  HOST: '127.0.0.1',
  PORT: String(port),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  CACHE_ENABLED: 'false',
  // The documented setting that roughly triples its speed: compare against the tuned Directus.
  CACHE_SCHEMA_FREEZE_ENABLED: 'true',
  RATE_LIMITER_ENABLED: 'false',
  TELEMETRY: 'false',
  ACCEPT_TERMS: 'true',
  MARKETPLACE_TRUST: 'sandbox',
  MARKETPLACE_REGISTRY: 'http://127.0.0.1:9',
  WEBSOCKETS_ENABLED: 'false',
  PM2_HOME: join(scratch, 'pm2'),
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
});

interface DirectusAnswer {
  data?: unknown;
}

/** Gives the bench reader a policy (read the scenarios' tables, create and delete payments) and a static token, once. */
const ensureReader = async (port: number): Promise<void> => {
  const login = await httpCall(port, { method: 'POST', path: '/auth/login', body: ADMIN });
  const admin = ((login.json as DirectusAnswer).data as { access_token?: string } | undefined)?.access_token;
  if (admin === undefined) throw new Error(`Directus admin login: ${describeAnswer(login)}`);
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const answer = await httpCall(port, { method, path, token: admin, body });
    if (answer.status >= 300) throw new Error(`Directus ${method} ${path}: ${describeAnswer(answer)}`);
    return (answer.json as DirectusAnswer | undefined)?.data;
  };
  const existing = (await call(
    'GET',
    `/users?filter%5Bemail%5D%5B_eq%5D=${encodeURIComponent(READER.email)}`,
  )) as unknown[];
  if (existing.length > 0) return;
  const policy = (await call('POST', '/policies', {
    name: 'sogoms bench reader',
    admin_access: false,
    app_access: false,
  })) as { id: string };
  const permissions = [
    ...READ.map((collection) => ({
      policy: policy.id,
      collection,
      action: 'read',
      fields: ['*'],
      permissions: {},
    })),
    { policy: policy.id, collection: 'payment', action: 'create', fields: ['*'], permissions: {} },
    { policy: policy.id, collection: 'payment', action: 'delete', fields: ['*'], permissions: {} },
  ];
  await call('POST', '/permissions', permissions);
  await call('POST', '/users', { ...READER, status: 'active', policies: [{ policy: policy.id }] });
};

/** A copy where a bootstrap failed before making the admin cannot be bootstrapped again: start over. */
const dropHalfBootstrapped = (server: MysqlServer): Promise<void> =>
  withConnection(server, async (connection) => {
    const [tables] = await connection.query<RowDataPacket[]>(
      `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'directus_users'`,
      [DIRECTUS_DB],
    );
    if (tables.length === 0) return;
    const [admins] = await connection.query<RowDataPacket[]>(
      `SELECT 1 FROM \`${DIRECTUS_DB}\`.directus_users WHERE email = ?`,
      [ADMIN.email],
    );
    if (admins.length === 0) await connection.query(`DROP DATABASE \`${DIRECTUS_DB}\``);
  });

/**
 * Directus as the issue describes it: installed into bench/.peers, bootstrapped on a copy of
 * Sakila, started with the schema cache frozen, a reader with a static token.
 */
export const startDirectus = async (server: MysqlServer, log: Log): Promise<DirectusPeer> => {
  const cli = await installDirectus(log);
  await dropHalfBootstrapped(server);
  const copy = await ensureSakila(server, DIRECTUS_DB);
  if (copy.loaded) log(`Sakila copy for Directus loaded into ${DIRECTUS_DB}`);
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'sogoms-bench-directus-'));
  const env = directusEnv(server, port, scratch);
  log('bootstrapping Directus');
  try {
    await run(process.execPath, [cli, 'bootstrap'], PEERS_DIR, env, 5 * 60_000);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [cli, 'start'], {
    cwd: PEERS_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const up = await waitFor(
      async () => (await httpCall(port, { path: '/server/ping' })).status === 200,
      120_000,
      500,
    );
    if (!up) throw new Error(`Directus did not answer within 120 s: ${output.slice(-1500)}`);
    await ensureReader(port);
    log(`Directus ${DIRECTUS_VERSION} is up on port ${port}`);
    return { port, pid: child.pid ?? 0, token: READER.token, database: DIRECTUS_DB, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
