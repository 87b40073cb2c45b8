import { DB_PATTERNS, IpcClient, UnixSocketClient, socketPath, type DbStats } from '@sogoms/ipc';

/** Reads the db service's counters over its own socket, as any other caller of the db service would. */
export class DbStatsClient {
  private readonly client: IpcClient;

  constructor(runDir: string) {
    this.client = new IpcClient(new UnixSocketClient({ path: socketPath(runDir, 'db') }), {
      timeoutMs: 5000,
    });
  }

  /** Statements run so far, or null if the db service does not answer. */
  async queries(): Promise<number | null> {
    try {
      return (await this.client.call<DbStats>(DB_PATTERNS.stats, {})).queries;
    } catch {
      return null;
    }
  }

  /** Everything `db.stats` says (the connection budget of each server too), or null. */
  async stats(): Promise<DbStats | null> {
    try {
      return await this.client.call<DbStats>(DB_PATTERNS.stats, {});
    } catch {
      return null;
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
