import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a service tells the supervisor that a reload it was signalled for has been applied (or
 * refused): `{run_dir}/{service}.reload.json`, rewritten whole after each reload. A signal
 * carries no answer, and a reload may take several event-loop turns (large schemas), so
 * `sogoms reload` waits for `seq` to move instead of guessing.
 */
export interface ReloadAck {
  /** 0 at start, one more after each reload. */
  seq: number;
  ok: boolean;
  error?: string;
  at: string;
}

export const reloadAckPath = (runDir: string, service: string): string =>
  join(runDir, `${service}.reload.json`);

export const readReloadAck = (runDir: string, service: string): ReloadAck | null => {
  try {
    const ack = JSON.parse(readFileSync(reloadAckPath(runDir, service), 'utf8')) as ReloadAck;
    return typeof ack.seq === 'number' ? ack : null;
  } catch {
    return null;
  }
};

/** The service side: announces at start that it acknowledges reloads, then reports each one. */
export class ReloadAcknowledger {
  private seq = 0;

  constructor(
    private readonly runDir: string,
    private readonly service: string,
  ) {}

  started(): void {
    this.write({ seq: 0, ok: true, at: new Date().toISOString() });
  }

  done(result: { ok: true } | { ok: false; error: string }): void {
    this.seq += 1;
    this.write({ seq: this.seq, at: new Date().toISOString(), ...result });
  }

  private write(ack: ReloadAck): void {
    const path = reloadAckPath(this.runDir, this.service);
    mkdirSync(this.runDir, { recursive: true });
    // Written beside, then renamed: the supervisor never reads half a file.
    writeFileSync(`${path}.tmp`, JSON.stringify(ack));
    renameSync(`${path}.tmp`, path);
  }
}
