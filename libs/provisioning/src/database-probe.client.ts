import { DB_PATTERNS, type DbProbeDatabase, type DbProbeRequest, type DbProbeResult } from '@sogoms/ipc';
import type { RawDatabase } from '@sogoms/schema';
import type { ProvisioningDatabase } from './provisioning-database.js';

/** An IPC client's `call` (IpcClient.call fits): the pattern and payload in, the answer out. */
export type ProbeCall = (pattern: string, payload: unknown) => Promise<unknown>;

/**
 * A MariaDB database that is not an app yet, reached through the db service's `db.probe` (a
 * short-lived connection per call): how the admin provisions without opening a database itself.
 * Errors are the db service's SogomsErrors (UNAVAILABLE, UNAUTHORIZED, NOT_FOUND, FORBIDDEN).
 */
export const probeDatabase = (call: ProbeCall, database: DbProbeDatabase): ProvisioningDatabase => {
  const probe = async (request: Omit<DbProbeRequest, 'database'>): Promise<DbProbeResult> =>
    (await call(DB_PATTERNS.probe, { database, ...request } satisfies DbProbeRequest)) as DbProbeResult;
  return {
    name: database.name,
    engine: 'mariadb',
    async introspect(): Promise<RawDatabase> {
      const { raw } = await probe({ introspect: true });
      if (raw === undefined) throw new Error('db.probe answered without the catalog it was asked for');
      return raw;
    },
    async execute(sql: string): Promise<void> {
      await probe({ statements: [sql] });
    },
  };
};
