import { createConnection, type Socket } from 'node:net';

/** A plain socket to a transport server, to send bytes no well-behaved client would send. */
export const openRawConnection = (path: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });

/** Resolves when the peer has closed `socket` (the only way the server rejects a connection). */
export const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });

/** A frame with an arbitrary body and a length prefix that may lie. */
export const rawFrame = (body: Buffer | string, declaredLength?: number): Buffer => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(4);
  header.writeUInt32BE(declaredLength ?? bytes.length);
  return Buffer.concat([header, bytes]);
};
