import type { Pool } from 'mysql2/promise';
import type { PoolUsage } from './engine/app-database.js';

/** The fields of mysql2's callback pool (lib/base/pool.js) that hold its connections and waiters. */
interface Mysql2PoolQueues {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * mysql2 keeps its pool's state in underscore fields and has no public accessor: read them here
 * only, so that a mysql2 upgrade that renames them breaks one file (and reports zeros, not a crash).
 */
export const mysqlPoolUsage = (pool: Pool, limit: number): PoolUsage => {
  const queues = (pool as unknown as { pool?: Mysql2PoolQueues }).pool ?? {};
  const open = queues._allConnections?.length ?? 0;
  const free = queues._freeConnections?.length ?? 0;
  return { open, inUse: Math.max(0, open - free), limit, waiting: queues._connectionQueue?.length ?? 0 };
};
