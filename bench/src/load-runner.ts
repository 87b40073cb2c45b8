import { spawn } from 'node:child_process';
import type { LoadJob, LoadOutcome } from './load-job.js';
import type { ManyAppsJob } from './many-apps-job.js';
import { distPath } from './project-root.js';

/** Runs a load driver (`bench/src/{driver}.main.js`) with its job and returns what it measured. */
const runDriver = (driver: string, job: unknown): Promise<LoadOutcome> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distPath(`bench/src/${driver}.main.js`), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && line !== '') resolve(JSON.parse(line) as LoadOutcome);
      else reject(new Error(`load driver exited ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });

/** Runs one scenario's load in the driver process. */
export const runLoad = (job: LoadJob): Promise<LoadOutcome> => runDriver('load-driver', job);

/** Runs the many-apps load (connections bound to apps by Host) in its driver process. */
export const runManyAppsLoad = (job: ManyAppsJob): Promise<LoadOutcome> => runDriver('many-apps-driver', job);
