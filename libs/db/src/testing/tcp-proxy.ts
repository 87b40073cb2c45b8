import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder to MariaDB that a test can stop, restart on the same port, or freeze (keep
 * the connections open but forward nothing): the "server restarted" and "network hangs" cases
 * without touching the shared MariaDB.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  /** Listens on the previous port when restarted (port 0, that is a free one, the first time). */
  async start(): Promise<number> {
    this.frozen = false;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
    this.port = address.port;
    this.server = server;
    return this.port;
  }

  /** Refuses new connections and cuts the open ones, like a server that went away. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps every connection open but stops passing bytes either way. */
  freeze(): void {
    this.frozen = true;
  }

  private forward(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const pass = (from: Socket, to: Socket): void => {
      from.on('data', (chunk) => {
        if (!this.frozen) to.write(chunk);
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    };
    pass(client, upstream);
    pass(upstream, client);
  }
}
