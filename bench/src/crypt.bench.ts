import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CRYPT_KEYS_FILE, createKeyringFile } from '@sogoms/crypt';
import { diffSchemas, migrationFor, parseSchemaYaml } from '@sogoms/schema';
import { stringify } from 'yaml';
import type { BenchOptions } from './bench-options.js';
import { removeBenchConfig, startStack, writeBenchConfig } from './bench-stack.js';
import { describeAnswer, freePort, httpCall } from './http-call.js';
import { withConnection, type MysqlServer } from './mysql-server.js';

export const CRYPT_DB = 'sogoms_bench_crypt';
const ROWS = 1000;
const HOST = 'vault.crypt.bench';

/** GET 50 rows of a table with two encrypted fields against the same table in clear, same run. */
export interface CryptBenchResult {
  status: 'ok' | 'failed';
  note?: string;
  plain_rps: number | null;
  encrypted_rps: number | null;
  plain_p99_ms: number | null;
  encrypted_p99_ms: number | null;
  /** encrypted_rps / plain_rps (target ≥ 0.85). */
  ratio: number | null;
}

export const cryptNotMeasured = (note: string): CryptBenchResult => ({
  status: 'failed',
  note,
  plain_rps: null,
  encrypted_rps: null,
  plain_p99_ms: null,
  encrypted_p99_ms: null,
  ratio: null,
});

const table = (encrypted: boolean): string => {
  const enc = encrypted ? ', encrypted: true' : '';
  return `    public: [list, read, create]
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      name: { type: string, length: 100, required: true }
      email: { type: string, length: 190, required: true${enc}${encrypted ? ', searchable: true' : ''} }
      phone: { type: string, length: 30, nullable: true${enc} }
      city: { type: string, length: 50, nullable: true }
`;
};

const SCHEMA = `version: 1
tables:
  users:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      email: { type: string, length: 190, unique: true, required: true, auth: login }
      password_hash: { type: string, length: 100, required: true, hidden: true, auth: password }
      role: { type: enum, values: [default, admin], default: default }
  people_plain:
${table(false)}  people_encrypted:
${table(true)}`;

const rowsOf = (from: number): Record<string, unknown>[] =>
  Array.from({ length: 500 }, (_, i) => ({
    name: `Person ${from + i}`,
    email: `person${from + i}@example.com`,
    phone: `+33 6 ${String(10_000_000 + from + i)}`,
    city: 'Lyon',
  }));

const measure = async (port: number, path: string, seconds: number, connections: number) => {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    headers: { host: HOST, accept: 'application/json' },
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
};

/**
 * The crypt phase: one stack, one app with two tables alike but for two encrypted fields
 * (email searchable, phone), 1,000 rows each written through the API; `GET ?limit=50` on each,
 * alternated twice, so that both see the same machine state.
 */
export const runCryptPhase = async (
  options: BenchOptions,
  server: MysqlServer,
  log: (line: string) => void,
): Promise<CryptBenchResult> => {
  const { schema, findings } = parseSchemaYaml(SCHEMA, 'schema.yaml');
  if (schema === null || findings.length > 0) return cryptNotMeasured('the bench schema does not parse');
  await withConnection(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS \`${CRYPT_DB}\``);
    await c.query(`CREATE DATABASE \`${CRYPT_DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.query(`USE \`${CRYPT_DB}\``);
    const { statements } = migrationFor(diffSchemas(schema, { version: 1, tables: [] }), schema, {
      allowDrop: false,
    });
    for (const statement of statements) await c.query(statement);
  });
  const config = await writeBenchConfig(await freePort(), 'crypt', { nodeArgs: options.nodeArgs });
  const dir = join(config.configRoot, 'apps/vault');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.yaml'), SCHEMA);
  writeFileSync(
    join(dir, 'app.yaml'),
    stringify({
      name: 'vault',
      version: '1.0.0',
      hosts: [HOST],
      base_path: '/api',
      database: { ...server, name: CRYPT_DB, pool_size: 10 },
      auth: { jwt_secret: 'crypt-bench-secret-0123456789abcdef0123456789', jwt_expires_in: '1h' },
      logs: { retention_days: 1 },
    }),
  );
  createKeyringFile(join(dir, CRYPT_KEYS_FILE), 'vault');
  log(`starting the crypt stack (config ${config.configRoot})`);
  const stack = await startStack(config);
  try {
    for (const name of ['people_plain', 'people_encrypted'])
      for (let from = 0; from < ROWS; from += 500) {
        const answer = await httpCall(config.gatewayPort, {
          method: 'POST',
          path: `/api/${name}`,
          host: HOST,
          body: rowsOf(from),
        });
        if (answer.status !== 201) return cryptNotMeasured(`filling ${name}: ${describeAnswer(answer)}`);
      }
    const seconds = options.quick ? 3 : 8;
    const paths = {
      plain: '/api/people_plain?limit=50&count=false',
      encrypted: '/api/people_encrypted?limit=50&count=false',
    };
    await measure(config.gatewayPort, paths.plain, options.warmupS, options.connections);
    await measure(config.gatewayPort, paths.encrypted, options.warmupS, options.connections);
    const runs = {
      plain: [] as { rps: number; p99: number }[],
      encrypted: [] as { rps: number; p99: number }[],
    };
    for (let round = 0; round < 2; round++)
      for (const kind of ['plain', 'encrypted'] as const) {
        const m = await measure(config.gatewayPort, paths[kind], seconds, options.connections);
        log(`crypt: ${kind} ${Math.round(m.rps)} req/s, p99 ${m.p99} ms`);
        runs[kind].push(m);
      }
    const mean = (list: { rps: number }[]): number => list.reduce((sum, m) => sum + m.rps, 0) / list.length;
    const plain = mean(runs.plain);
    const encrypted = mean(runs.encrypted);
    return {
      status: 'ok',
      plain_rps: plain,
      encrypted_rps: encrypted,
      plain_p99_ms: Math.max(...runs.plain.map((m) => m.p99)),
      encrypted_p99_ms: Math.max(...runs.encrypted.map((m) => m.p99)),
      ratio: encrypted / plain,
    };
  } finally {
    await stack.stop();
    removeBenchConfig(config);
  }
};
