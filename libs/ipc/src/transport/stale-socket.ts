import { lstat, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';

/** Whether some process accepts connections on the Unix socket at `path`. */
const someoneListens = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => {
      probe.destroy();
      resolve(false);
    });
  });

/**
 * Called when `listen` failed with EADDRINUSE: a file already exists at `path`. A socket file
 * that no one listens on is left over from a crashed process and is removed; a live server or
 * a file that is not a socket is never touched, and the caller gets a clear error instead.
 */
export const removeStaleSocket = async (path: string): Promise<void> => {
  const stat = await lstat(path);
  if (!stat.isSocket()) {
    throw new Error(`Cannot listen on ${path}: the path exists and is not a socket`);
  }
  if (await someoneListens(path)) {
    throw new Error(`Cannot listen on ${path}: another server is already listening there`);
  }
  await unlink(path);
};
