import { readFileSync } from 'node:fs';

/** Resident set size of a process in MiB (VmRSS of /proc/<pid>/status), or null when it is gone. */
export const rssMb = (pid: number): number | null => {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
};

/**
 * Proportional set size in MiB (Pss of /proc/<pid>/smaps_rollup): pages shared with other
 * processes (the node binary, ~45 MB mapped by every Node process) counted as a share, so a sum
 * over processes is the memory they hold together. null when it is gone or unreadable.
 */
export const pssMb = (pid: number): number | null => {
  try {
    const match = /^Pss:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
};

/** PSS is read every this many RSS samples: smaps_rollup walks the page tables (dearer than status). */
const PSS_EVERY = 10;

/**
 * Samples the RSS of named processes while a load runs and keeps, per name, the highest value
 * seen, plus the highest sum over one sample (the whole stack at one moment).
 */
export class RssSampler {
  readonly peakMb: Record<string, number> = {};
  /** The same for PSS (sampled less often). */
  readonly peakPssMb: Record<string, number> = {};
  private readonly totals = new Map<string, number>();
  private readonly pssTotals = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  /**
   * `group` names the sum a sample adds to (e.g. `sogoms` for ctl + logs + db + gateway). Every
   * 100 ms: a scavenge can grow and shrink the young generation within half a second.
   */
  start(pids: Record<string, number>, group: string, everyMs = 100): void {
    this.stop();
    let samples = 0;
    const sample = (): void => {
      let total = 0;
      for (const [name, pid] of Object.entries(pids)) {
        const mb = rssMb(pid);
        if (mb === null) continue;
        total += mb;
        this.peakMb[name] = Math.max(this.peakMb[name] ?? 0, mb);
      }
      this.totals.set(group, Math.max(this.totals.get(group) ?? 0, total));
      if (samples++ % PSS_EVERY === 0) {
        let pssTotal = 0;
        for (const [name, pid] of Object.entries(pids)) {
          const mb = pssMb(pid);
          if (mb === null) continue;
          pssTotal += mb;
          this.peakPssMb[name] = Math.max(this.peakPssMb[name] ?? 0, mb);
        }
        this.pssTotals.set(group, Math.max(this.pssTotals.get(group) ?? 0, pssTotal));
      }
    };
    sample();
    this.timer = setInterval(sample, everyMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The highest sum seen for `group` (MiB), or null when it was never sampled. */
  peakTotalMb(group: string): number | null {
    return this.totals.get(group) ?? null;
  }

  /** The highest PSS sum seen for `group` (MiB), or null when it was never sampled. */
  peakPssTotalMb(group: string): number | null {
    return this.pssTotals.get(group) ?? null;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat, or null when it
 * is gone. Summed over a system's processes before and after a run, it tells what a request
 * costs in CPU whatever the number of processes (over IPC two event loops share the work).
 */
export const cpuMs = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) in parentheses; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
};

/** The CPU time of all `pids` together (ms); null when one of them is gone. */
export const totalCpuMs = (pids: Record<string, number>): number | null => {
  let total = 0;
  for (const pid of Object.values(pids)) {
    const ms = cpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
};
