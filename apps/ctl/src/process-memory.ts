import { readFileSync } from 'node:fs';

/**
 * A process's resident memory in bytes from /proc (Linux), or null where it cannot be read (the
 * process just exited, or another system): `sogoms status` and the admin dashboard show it.
 */
export const residentBytes = (pid: number): number | null => {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
};
