import { join } from 'node:path';

/** The socket a service listens on: `{runDir}/{service}.sock`. */
export const socketPath = (runDir: string, service: string): string => join(runDir, `${service}.sock`);

/** Unix socket paths are limited by `sun_path` (108 bytes on Linux, 104 on macOS). */
export const MAX_SOCKET_PATH_BYTES = 103;

/** The service name a socket path belongs to, for error messages that must not show paths. */
export const serviceOfSocketPath = (path: string): string => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith('.sock') ? base.slice(0, -'.sock'.length) : base;
};
