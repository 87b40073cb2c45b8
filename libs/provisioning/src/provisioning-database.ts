import type { RawDatabase } from '@sogoms/schema';

/**
 * The database a new app is made for, as provisioning needs it: read its catalog, and run the
 * few DDL statements a working users table may need. The CLI backs it with a direct connection
 * (it needs no running service); the admin with the db service's `db.probe` (probeDatabase).
 */
export interface ProvisioningDatabase {
  /** The database (schema) name; for SQLite the file's basename. */
  readonly name: string;
  readonly engine: 'mariadb' | 'sqlite';
  /** The catalog in the raw shape: INFORMATION_SCHEMA on MariaDB, the pragma functions on SQLite. */
  introspect(): Promise<RawDatabase>;
  /** One DDL statement (CREATE TABLE, ALTER TABLE). */
  execute(sql: string): Promise<void>;
}
