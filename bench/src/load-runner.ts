import { spawn } from 'node:child_process';
import type { LoadJob, LoadOutcome } from './load-job.js';
import { distPath } from './project-root.js';

/** Runs one load in the driver process and returns what it measured. */
export const runLoad = (job: LoadJob): Promise<LoadOutcome> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distPath('bench/src/load-driver.main.js'), JSON.stringify(job)], {
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
