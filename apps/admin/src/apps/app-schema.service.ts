import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import { DB_PATTERNS, IpcClient, ipcClientToken } from '@sogoms/ipc';
import {
  applyMigration,
  describeChange,
  diffSchemas,
  loadSchemaFile,
  migrationFor,
  scanSchema,
  schemaFromDatabase,
  SCHEMA_FILE,
  type MergeReport,
  type SchemaDef,
} from '@sogoms/schema';
import type { FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';
import { AuditLog } from '../audit/audit-log.js';
import { SupervisorControl } from '../dashboard/supervisor-control.js';
import { AppDatabase } from './app-database.js';

export interface SchemaStatus {
  app: AppConfig;
  inSync: boolean;
  differences: string[];
  statements: string[];
  skipped: string[];
  /** A digest of the statements shown: the confirm step applies only what was seen. */
  plan: string;
}

export interface ScanOutcome {
  app: AppConfig;
  changed: boolean;
  tables: number;
  report: MergeReport;
  notes: string[];
}

const planOf = (statements: readonly string[]): string =>
  createHash('sha256').update(statements.join(';\n')).digest('base64url').slice(0, 22);

/**
 * The app's schema.yaml against its database: scan again (merge, showing what changed), the
 * differences `schema diff` finds, and the DDL `migrate` would run, applied after a confirm step.
 * The database is read and changed through the db service only.
 */
@Injectable()
export class AppSchemaService {
  constructor(
    private readonly db: AppDatabase,
    @Inject(ipcClientToken('db')) private readonly ipc: IpcClient,
    private readonly settings: AdminSettings,
    private readonly supervisor: SupervisorControl,
    private readonly audit: AuditLog,
  ) {}

  declared(app: AppConfig): SchemaDef {
    const schema = loadSchemaFile(app.dir, this.settings.displayRoot);
    if (schema === null)
      throw new SogomsError(
        'NOT_FOUND',
        `App '${app.name}' has no schema.yaml yet: scan its database first.`,
      );
    return schema;
  }

  async status(app: AppConfig): Promise<SchemaStatus> {
    const declared = this.declared(app);
    const live = schemaFromDatabase(await this.db.introspect(app.name), {
      authTable: app.auth.usersTable,
    }).schema;
    const engine = app.database.driver === 'sqlite' ? 'sqlite' : 'mariadb';
    const changes = diffSchemas(declared, live, { engine });
    const { statements, skipped } = migrationFor(changes, declared, { allowDrop: false, engine });
    return {
      app,
      inSync: changes.length === 0,
      differences: changes.map((change) => describeChange(change)),
      statements,
      skipped,
      plan: planOf(statements),
    };
  }

  async scan(request: FastifyRequest, app: AppConfig): Promise<ScanOutcome> {
    const raw = await this.db.introspect(app.name);
    const path = join(app.dir, SCHEMA_FILE);
    const existing = loadSchemaFile(app.dir, this.settings.displayRoot);
    const before = existing === null ? null : readFileSync(path, 'utf8');
    const scan = scanSchema(raw, existing, {
      authTable: app.auth.usersTable,
      file: relative(this.settings.displayRoot, path),
    });
    // Written beside and renamed: a reader never sees half a file.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, scan.yaml);
    renameSync(temporary, path);
    const changed = before !== scan.yaml;
    this.audit.record(request, {
      action: 'schema.scan',
      app: app.name,
      before: { changed },
      after: scan.report,
    });
    if (changed) await this.supervisor.reload();
    return { app, changed, tables: scan.schema.tables.length, report: scan.report, notes: scan.notes };
  }

  async migrate(request: FastifyRequest, app: AppConfig, plan: unknown): Promise<string> {
    const status = await this.status(app);
    if (status.statements.length === 0) return `/apps/${app.name}/schema?notice=nothing%20to%20migrate`;
    if (plan !== status.plan)
      throw new SogomsError(
        'CONFLICT',
        'The database or schema.yaml changed since the page was shown: review the new plan and confirm again.',
      );
    // One statement per call, each with the session setting the DDL needs, on one connection.
    const run = await applyMigration(
      status.statements,
      (sql) =>
        sql.startsWith('SET SESSION')
          ? Promise.resolve()
          : this.ipc.call(DB_PATTERNS.transaction, {
              app: app.name,
              statements: [
                {
                  sql: "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')",
                  kind: 'write',
                },
                { sql, kind: 'write' },
              ],
            }),
      app.database.driver === 'sqlite' ? 'sqlite' : 'mariadb',
    );
    this.audit.record(request, {
      action: 'schema.migrate',
      app: app.name,
      before: { differences: status.differences },
      after: { applied: run.applied, failed: run.failed?.statement ?? null },
    });
    await this.supervisor.reload().catch(() => undefined);
    const notice =
      run.failed === undefined
        ? `applied ${run.applied.length} statement(s)`
        : `applied ${run.applied.length}, then this failed: ${run.failed.error}`;
    return `/apps/${app.name}/schema?notice=${encodeURIComponent(notice)}`;
  }
}
