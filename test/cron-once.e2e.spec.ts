import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_NODE_ARGS, loadConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import {
  adminConnection,
  dropDatabases,
  listenDbSocket,
  startDbHarness,
  testDatabaseName,
  type DbHarness,
} from '@sogoms/db/testing';
import type { UnixSocketServer } from '@sogoms/ipc';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './support/stack.js';
import { PROJECT_ROOT } from './support/test-config.factory.js';

const FIRE_TIMES = 20;

/** One cron "machine": its own config root and run dir, its own db service, the shared MariaDB database. */
interface Machine {
  fx: ConfigFixture;
  db: DbHarness;
  socket: UnixSocketServer;
  process: ChildProcess;
  output: string;
}

describe('two real cron processes sharing one database', () => {
  const database = testDatabaseName('cron_once');
  const machines: Machine[] = [];
  let target: Server;
  let port: number;
  /** X-Sogoms-Cron-Run of each request to /every. */
  const everyRuns: string[] = [];
  const slowHeld: ServerResponse[] = [];
  let slowCalls = 0;
  let slowAt: Date;

  const rows = async (sql: string, params: unknown[] = []): Promise<RowDataPacket[]> => {
    const admin = await adminConnection(database);
    try {
      const [result] = await admin.query<RowDataPacket[]>(sql, params);
      return result;
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    target = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/every') {
        everyRuns.push(String(req.headers['x-sogoms-cron-run']));
        return res.end('ok');
      }
      // The first attempt hangs until its process dies; the next one answers.
      slowCalls++;
      if (slowCalls === 1) return void slowHeld.push(res);
      res.end('done');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    port = (target.address() as AddressInfo).port;
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();

    // The slow job fires once, 30 s from now (a 6-field expression for that second, UTC).
    slowAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 30_000);
    const cronYaml = {
      lease_s: 2,
      jobs: [
        {
          name: 'every',
          type: 'http',
          schedule: '* * * * * *',
          url: `http://127.0.0.1:${port}/every`,
          allow_private: true,
        },
        {
          name: 'slow',
          type: 'http',
          schedule: `${slowAt.getUTCSeconds()} ${slowAt.getUTCMinutes()} ${slowAt.getUTCHours()} ${slowAt.getUTCDate()} ${slowAt.getUTCMonth() + 1} *`,
          timezone: 'UTC',
          url: `http://127.0.0.1:${port}/slow`,
          allow_private: true,
          timeout_s: 60,
          retry: { max_attempts: 2, delay_s: 0 },
        },
      ],
    };
    for (let i = 0; i < 2; i++) {
      const fx = createConfigFixture();
      fx.global({ run_dir: '../run', log_dir: '../logs' });
      fx.app('shop', { database: { name: database, user: 'root', password: '' } });
      fx.write('apps/shop/cron.yaml', cronYaml);
      const config = loadConfig(fx.root);
      const db = await startDbHarness(config.apps, config.global);
      const socket = await listenDbSocket(config.global, db.service);
      const child = spawn(
        process.execPath,
        [...DEFAULT_NODE_ARGS.cron, join(PROJECT_ROOT, 'dist/apps/cron/src/main.js'), '--config', fx.root],
        { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const machine: Machine = { fx, db, socket, process: child, output: '' };
      child.stdout?.on('data', (d: Buffer) => (machine.output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (machine.output += d.toString()));
      machines.push(machine);
    }
    for (const m of machines)
      await waitUntil(
        'cron to listen',
        () => Promise.resolve(existsSync(join(m.fx.root, '../run/cron.sock'))),
        20_000,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}:\n${m.output}`);
      });
  }, 60_000);

  afterAll(async () => {
    for (const res of slowHeld) res.destroy();
    for (const m of machines) {
      if (m.process.exitCode === null && m.process.signalCode === null) {
        const exited = new Promise((r) => m.process.once('exit', r));
        m.process.kill('SIGTERM');
        await exited;
      }
      await m.socket.close();
      await m.db.close();
      m.fx.remove();
    }
    target?.close();
    await dropDatabases([database]);
  });

  it(`runs each of ${FIRE_TIMES} fire times of an every-second job exactly once`, async () => {
    const from = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const until = from + FIRE_TIMES * 1000;
    await new Promise((r) => setTimeout(r, until - Date.now() + 2500));
    const runs = await rows(
      `SELECT scheduled_at, status, owner FROM sogoms_cron_runs WHERE job = 'every' AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at`,
      [from, until],
    );
    expect(runs.map((r) => Number(r.scheduled_at))).toEqual(
      Array.from({ length: FIRE_TIMES }, (_, i) => from + i * 1000),
    );
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    const window = Array.from(
      { length: FIRE_TIMES },
      (_, i) => `shop/every@${new Date(from + i * 1000).toISOString()}`,
    );
    // The target saw each fire time once: no second process ran any of them.
    expect(everyRuns.filter((r) => window.includes(r)).sort()).toEqual(window);
    const owners = new Set(runs.map((r) => String(r.owner)));
    const rss = machines.map((m) => {
      const line = readFileSync(`/proc/${m.process.pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('VmRSS:'));
      return (Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024).toFixed(1);
    });
    console.log(
      `every-second job: ${FIRE_TIMES} runs shared by ${owners.size} processes; cron RSS ${rss.join(' and ')} MB`,
    );
  }, 60_000);

  it('kill -9 of the process running a job: its run is abandoned and retried by the other', async () => {
    await waitUntil(
      'the slow job to start',
      () => Promise.resolve(slowCalls === 1),
      Math.max(5000, slowAt.getTime() - Date.now() + 10_000),
    );
    const [held] = await rows(`SELECT id, owner, attempt, status FROM sogoms_cron_runs WHERE job = 'slow'`);
    expect(held).toMatchObject({ attempt: 1, status: 'running' });
    const victim = machines.find((m) => String(held.owner).endsWith(`:${m.process.pid}`))!;
    const survivor = machines.find((m) => m !== victim)!;
    victim.process.kill('SIGKILL');
    await waitUntil(
      'the survivor to finish the run',
      async () =>
        (await rows(`SELECT status FROM sogoms_cron_runs WHERE id = ?`, [held.id]))[0].status === 'ok',
      15_000,
    );
    const [done] = await rows(
      `SELECT scheduled_at, attempt, owner, abandoned_by, status FROM sogoms_cron_runs WHERE job = 'slow'`,
    );
    expect(done).toMatchObject({
      status: 'ok',
      attempt: 2,
      abandoned_by: held.owner,
      scheduled_at: slowAt.getTime(),
    });
    expect(String(done.owner).endsWith(`:${survivor.process.pid}`)).toBe(true);
    expect(slowCalls).toBe(2);
  }, 60_000);
});
