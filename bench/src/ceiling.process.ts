import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { httpCall } from './http-call.js';
import { PROJECT_ROOT } from './project-root.js';

/** bench/ceiling-server.mjs running in its own process. */
export interface CeilingServer {
  port: number;
  pid: number;
  /** Statements it ran so far (its GET /_stats). */
  queries(): Promise<number | null>;
  stop(): Promise<void>;
}

export const startCeiling = (database: string, poolSize: number): Promise<CeilingServer> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'bench/ceiling-server.mjs'),
        '--database',
        database,
        '--pool-size',
        String(poolSize),
      ],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`ceiling server exited ${code}: ${output.slice(0, 500)}`)));
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /listening (\d+)/.exec(output);
      if (match === null) return;
      const port = Number(match[1]);
      resolve({
        port,
        pid: child.pid ?? 0,
        queries: async () => {
          const answer = await httpCall(port, { path: '/_stats' }).catch(() => null);
          return (answer?.json as { data?: { queries?: number } } | undefined)?.data?.queries ?? null;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
