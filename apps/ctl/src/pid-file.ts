import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** `{run_dir}/sogoctl.pid`: the supervisor's pid while it runs, for scripts and for humans. */
export class PidFile {
  constructor(
    readonly path: string,
    private readonly pid: number = process.pid,
  ) {}

  /** Overwrites a file left by a supervisor that died (preflight already found no live one). */
  write(): void {
    writeFileSync(this.path, `${this.pid}\n`);
  }

  /** Removes the file only while it is still ours. */
  remove(): void {
    try {
      if (readFileSync(this.path, 'utf8').trim() === String(this.pid)) rmSync(this.path, { force: true });
    } catch {
      // Already gone.
    }
  }
}
