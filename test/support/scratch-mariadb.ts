import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort } from './free-port.js';

export interface ScratchMariaDbOptions {
  /** The server's `max_connections` (the point of most of these servers). Default 151, MariaDB's. */
  maxConnections?: number;
}

/**
 * A MariaDB server of the test's own: its own data dir under the temp folder, its own loopback
 * port and socket, so a test may set `max_connections` low or stop the server without touching
 * the shared one on 3306. `root` (no password, from 127.0.0.1) administers it; apps log in as
 * `app` (no password), which has every privilege on data but not CONNECTION ADMIN: MariaDB keeps
 * one connection beyond `max_connections` for that, and root takes it when the apps use them all.
 */
export interface ScratchMariaDb {
  host: string;
  port: number;
  /** The apps' login: `app`, no password. */
  user: string;
  password: string;
  /** A root connection (the spare connection when the apps hold every other one). */
  admin(database?: string): Promise<mysql.Connection>;
  /**
   * Connections of `user` right now (from the process list, on a root connection kept open from
   * the start, so it works when the server is full: it counts as one of `max_connections`).
   */
  connectionsOf(user: string): Promise<number>;
  stop(): Promise<void>;
}

const APP_USER = 'app';

const runOrThrow = (command: string, args: string[]): void => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
};

const waitForServer = async (port: number, child: ChildProcess, log: string): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited (${child.exitCode}): ${readLog(log)}`);
    try {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      await connection.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`mariadbd did not answer on port ${port}: ${readLog(log)}`);
};

const readLog = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
};

/** Starts a scratch server (about 2 s: `mariadb-install-db`, then `mariadbd`); `stop()` removes it. */
export const startScratchMariaDb = async (options: ScratchMariaDbOptions = {}): Promise<ScratchMariaDb> => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-mariadb-'));
  const dataDir = join(dir, 'data');
  const log = join(dir, 'error.log');
  // Small files: these servers hold a few tiny tables.
  const engine = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];
  runOrThrow('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--user=root',
    ...engine,
  ]);
  const port = await freePort();
  const child = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${log}`,
      '--user=root',
      '--skip-name-resolve',
      '--skip-log-bin',
      `--max-connections=${options.maxConnections ?? 151}`,
      ...engine,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForServer(port, child, log);
    const root = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
    try {
      await root.query(`CREATE USER '${APP_USER}'@'127.0.0.1'`);
      await root.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, REFERENCES, CREATE TEMPORARY TABLES,
           LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER ON *.* TO '${APP_USER}'@'127.0.0.1'`,
      );
    } finally {
      await root.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const admin = (database?: string): Promise<mysql.Connection> =>
    mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database, multipleStatements: true });
  const monitor = await admin();
  return {
    host: '127.0.0.1',
    port,
    user: APP_USER,
    password: '',
    admin,
    async connectionsOf(user) {
      const [rows] = await monitor.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?',
        [user],
      );
      return Number(rows[0].n);
    },
    async stop() {
      await monitor.end().catch(() => monitor.destroy());
      await stop();
    },
  };
};
