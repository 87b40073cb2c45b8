import { existsSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import {
  bringInDatabase,
  ensureUser,
  removeBenchConfig,
  startStack,
  writeBenchConfig,
  type RunningStack,
} from './bench-stack.js';
import { reloadNotAvailable, type ReloadResult } from './bench-results.js';
import { cliFailure, runSogoms, sogomsHasCommand } from './cli-runner.js';
import { describeAnswer, freePort, httpCall, sleep, waitFor } from './http-call.js';
import { withConnection, type MysqlServer } from './mysql-server.js';
import { totalCpuMs } from './process-rss.js';

export const SCALE_DB = 'sogoms_bench_scale';
const TABLES = 1000;
const tableName = (n: number): string => `t${String(n).padStart(4, '0')}`;
const NEW_TABLE = tableName(TABLES + 1);

type Log = (line: string) => void;

/** A small table; each references the one before it, so the schema has 999 relations each way. */
const createTableSql = (n: number): string =>
  `CREATE TABLE \`${tableName(n)}\` (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) NOT NULL,
    amount DECIMAL(10,2) NULL,
    status ENUM('new', 'done') NOT NULL DEFAULT 'new',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ${n > 1 ? 'ref_id INT UNSIGNED NULL,' : ''}
    PRIMARY KEY (id)${n > 1 ? `, KEY idx_ref (ref_id), CONSTRAINT fk_${tableName(n)}_ref FOREIGN KEY (ref_id) REFERENCES \`${tableName(n - 1)}\` (id)` : ''}
  ) ENGINE = InnoDB`;

/** The scratch database with 1,000 tables; made once and kept (creating it takes a while). Returns ms spent, or null when reused. */
const ensureScaleDatabase = (server: MysqlServer): Promise<number | null> =>
  withConnection(server, async (connection) => {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 't____'`,
      [SCALE_DB],
    );
    if (Number(rows[0].n) === TABLES) return null;
    const started = Date.now();
    await connection.query(`DROP DATABASE IF EXISTS \`${SCALE_DB}\``);
    await connection.query(`CREATE DATABASE \`${SCALE_DB}\` CHARACTER SET utf8mb4`);
    await connection.query(`USE \`${SCALE_DB}\``);
    for (let n = 1; n <= TABLES; n++) {
      await connection.query(createTableSql(n));
      await connection.query(
        `INSERT INTO \`${tableName(n)}\` (name, amount) VALUES ('first', 1.50), ('second', 2.50)`,
      );
    }
    return Date.now() - started;
  });

const processGone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

/** Until the processes used under 5 % of a core over half a second (at most 15 s). */
const untilIdle = async (pids: Record<string, number>): Promise<void> => {
  const deadline = Date.now() + 15_000;
  let before = totalCpuMs(pids);
  while (Date.now() < deadline) {
    await sleep(500);
    const now = totalCpuMs(pids);
    if (before === null || now === null || now - before < 25) return;
    before = now;
  }
};

interface LoopSample {
  at: number;
  ms: number;
  ok: boolean;
}

/** Keeps `parallel` request loops going until stopped; records every request's end time and latency. */
const requestLoop = (port: number, host: string, token: string, path: string, parallel = 4) => {
  const agent = new Agent({ keepAlive: true, maxSockets: parallel });
  const samples: LoopSample[] = [];
  let running = true;
  const one = async (): Promise<void> => {
    while (running) {
      const started = performance.now();
      const answer = await httpCall(port, { path, host, token, agent, timeoutMs: 10_000 }).catch(() => null);
      samples.push({ at: performance.now(), ms: performance.now() - started, ok: answer?.status === 200 });
    }
  };
  const loops = Array.from({ length: parallel }, one);
  return {
    samples,
    stop: async (): Promise<void> => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
};

/**
 * The 1,000-table schema: scan time, gateway start time (`sogoms restart gateway`: old process
 * gone → first answer of a table route), reload time (`sogoms reload` → a table added to the
 * schema serves) and the longest request of a loop running through the reload.
 */
export const runScalePhase = async (server: MysqlServer, log: Log): Promise<ReloadResult> => {
  const created = await ensureScaleDatabase(server);
  log(
    created === null
      ? `${SCALE_DB}: 1,000 tables are there`
      : `${SCALE_DB}: 1,000 tables created in ${created} ms`,
  );
  await withConnection(server, (c) => c.query(`DROP TABLE IF EXISTS \`${NEW_TABLE}\``), SCALE_DB);
  const config = await writeBenchConfig(await freePort(), 'scale');
  let stack: RunningStack | null = null;
  try {
    const app = await bringInDatabase(config, server, 'scale', SCALE_DB, 'scale.localhost');
    const schemaFile = join(config.configRoot, 'apps', 'scale', 'schema.yaml');
    if (!(await sogomsHasCommand(config.configRoot, ['schema', 'scan'])))
      return reloadNotAvailable('`sogoms schema scan` does not exist yet');
    const scan = await runSogoms(config.configRoot, ['schema', 'scan', 'scale']);
    if (scan.code !== 0 || !existsSync(schemaFile))
      return reloadNotAvailable(cliFailure('sogoms schema scan scale', scan), 'failed');
    log(`schema scan of 1,000 tables: ${Math.round(scan.ms)} ms`);
    stack = await startStack(config);
    const user = await ensureUser(stack, app, 'bench@sogoms.test', 'bench-Pass-2026!');
    const port = config.gatewayPort;
    const route = (table: string): string => `${app.basePath}/${table}?limit=1`;
    const serves = async (table: string): Promise<boolean> =>
      (await httpCall(port, { path: route(table), host: app.host, token: user.token, timeoutMs: 5000 }))
        .status === 200;
    const first = await httpCall(port, { path: route(tableName(1)), host: app.host, token: user.token });
    if (first.status !== 200)
      return reloadNotAvailable(
        `the gateway does not serve the schema's tables yet: GET ${route(tableName(1))} → ${describeAnswer(first)}`,
      );

    // Start: restart the gateway; from the moment the old process is gone to the first answer.
    const running = stack;
    const restartGateway = async (): Promise<number | string> => {
      // The stack at rest first: right after `sogoms start` the supervisor reads the schema once
      // for its reload pre-check (a one-off, not part of a gateway restart) and on 2 cores that
      // would share the CPU with the start measured here.
      await untilIdle(await running.pids());
      const oldPid = (await running.pids()).gateway;
      const restart = runSogoms(config.configRoot, ['restart', 'gateway']);
      await waitFor(() => Promise.resolve(processGone(oldPid)), 30_000, 2);
      const goneAt = performance.now();
      await waitFor(() => serves(tableName(1)), 60_000, 10);
      const ms = performance.now() - goneAt;
      const restarted = await restart;
      return restarted.code === 0 ? ms : cliFailure('sogoms restart gateway', restarted);
    };
    // As a restart finds it: the parsed blocks of the first start in {run_dir}/cache.
    const startMs = await restartGateway();
    if (typeof startMs === 'string') return reloadNotAvailable(startMs, 'failed');
    log(`gateway start with 1,000 tables: ${Math.round(startMs)} ms`);
    // Without that cache, as after an edit of every table: the YAML parser reads all of them.
    rmSync(join(config.runDir, 'cache'), { recursive: true, force: true });
    const coldStartMs = await restartGateway();
    if (typeof coldStartMs === 'string') return reloadNotAvailable(coldStartMs, 'failed');
    log(`gateway start with 1,000 tables, no parse cache: ${Math.round(coldStartMs)} ms`);

    // Reload under a request loop: a table is added to the database and the schema, then `sogoms reload`.
    const loop = requestLoop(port, app.host, user.token, route(tableName(TABLES / 2)));
    await sleep(2000);
    const before = loop.samples.slice();
    await withConnection(server, (c) => c.query(createTableSql(TABLES + 1)), SCALE_DB);
    const rescan = await runSogoms(config.configRoot, ['schema', 'scan', 'scale']);
    if (rescan.code !== 0) {
      await loop.stop();
      return reloadNotAvailable(
        cliFailure('sogoms schema scan scale (after adding a table)', rescan),
        'failed',
      );
    }
    const reloadAt = performance.now();
    const reload = await runSogoms(config.configRoot, ['reload']);
    const served = await waitFor(() => serves(NEW_TABLE), 30_000, 5);
    const reloadMs = performance.now() - reloadAt;
    await sleep(1000);
    await loop.stop();
    if (reload.code !== 0 || !served)
      return reloadNotAvailable(
        reload.code !== 0
          ? cliFailure('sogoms reload', reload)
          : `${NEW_TABLE} not served 30 s after the reload`,
        'failed',
      );
    const during = loop.samples.filter((s) => s.at >= reloadAt && s.at - s.ms <= reloadAt + reloadMs + 1000);
    log(
      `reload: ${Math.round(reloadMs)} ms; longest request during it ${Math.round(Math.max(...during.map((s) => s.ms)))} ms`,
    );
    return {
      status: 'ok',
      tables: TABLES,
      create_tables_ms: created,
      scan_ms: scan.ms,
      start_ms: startMs,
      start_no_cache_ms: coldStartMs,
      reload_ms: reloadMs,
      max_pause_ms: during.length === 0 ? null : Math.max(...during.map((s) => s.ms)),
      max_latency_before_ms: before.length === 0 ? null : Math.max(...before.map((s) => s.ms)),
      requests_during_reload: during.length,
      failed_during_reload: during.filter((s) => !s.ok).length,
    };
  } catch (error) {
    return reloadNotAvailable((error as Error).message.slice(0, 500), 'failed');
  } finally {
    await stack?.stop();
    removeBenchConfig(config);
    await withConnection(server, (c) => c.query(`DROP TABLE IF EXISTS \`${NEW_TABLE}\``), SCALE_DB).catch(
      () => undefined,
    );
  }
};
