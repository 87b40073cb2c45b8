import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessInfo {
  pid: number;
  /** The process name from /proc/{pid}/comm, e.g. `node`. */
  command: string;
}

/** TCP state 0A in /proc/net/tcp: LISTEN. */
const TCP_LISTEN = '0A';
/** __SO_ACCEPTCON in /proc/net/unix flags: a listening Unix socket. */
const UNIX_ACCEPTCON = 0x10000;

/**
 * Finds which process listens on a TCP port or a Unix socket path, the way `ss -p` does: the
 * socket's inode from /proc/net/*, then the process holding `socket:[inode]` among its fds.
 * Linux only; returns null when the owner cannot be seen (other users' processes, no /proc).
 */
export class SocketOwnerLookup {
  constructor(private readonly proc = '/proc') {}

  tcpListener(port: number): ProcessInfo | null {
    const inodes = new Set<string>();
    for (const table of ['net/tcp', 'net/tcp6']) {
      for (const fields of this.table(table)) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        const localPort = parseInt(fields[1]?.split(':')[1] ?? '', 16);
        if (localPort === port && fields[3] === TCP_LISTEN && fields[9] !== undefined) inodes.add(fields[9]);
      }
    }
    return this.ownerOf(inodes);
  }

  unixListener(path: string): ProcessInfo | null {
    const inodes = new Set<string>();
    for (const fields of this.table('net/unix')) {
      // Num RefCount Protocol Flags Type St Inode Path
      const flags = parseInt(fields[3] ?? '0', 16);
      if (fields[7] === path && (flags & UNIX_ACCEPTCON) !== 0 && fields[6] !== undefined)
        inodes.add(fields[6]);
    }
    return this.ownerOf(inodes);
  }

  private table(name: string): string[][] {
    let text: string;
    try {
      text = readFileSync(join(this.proc, name), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
  }

  private ownerOf(inodes: Set<string>): ProcessInfo | null {
    if (inodes.size === 0) return null;
    const wanted = new Set([...inodes].filter((inode) => inode !== '0').map((inode) => `socket:[${inode}]`));
    for (const entry of this.list(this.proc)) {
      if (!/^\d+$/.test(entry)) continue;
      const fdDir = join(this.proc, entry, 'fd');
      for (const fd of this.list(fdDir)) {
        let target: string;
        try {
          target = readlinkSync(join(fdDir, fd));
        } catch {
          continue;
        }
        if (wanted.has(target)) return { pid: Number(entry), command: this.command(entry) };
      }
    }
    return null;
  }

  private command(pid: string): string {
    try {
      return readFileSync(join(this.proc, pid, 'comm'), 'utf8').trim();
    } catch {
      return 'unknown';
    }
  }

  private list(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  }
}
