import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  loadSchemaFile,
  scanSchema,
  schemaFromDatabase,
  SCHEMA_FILE,
  type MergeReport,
  type SchemaDef,
  type SchemaFinding,
} from '@sogoms/schema';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { GatewayState, type ReloadResult } from '../snapshot/gateway-state.js';

/** The live database as the schema model, and what the mapping could not say exactly. */
export interface IntrospectedSchema extends SchemaDef {
  notes: string[];
}

export interface GeneratedSchema {
  /** The file written, relative to the config root's parent (`config/apps/shop/schema.yaml`). */
  file: string;
  /** Whether its bytes differ from what was there before. */
  changed: boolean;
  tables: number;
  report: MergeReport;
  notes: string[];
  /** Hand edits that no longer fit the database (they stay in the file). */
  findings: SchemaFinding[];
  /** The gateway's reload after the write: a failed one keeps the previous snapshot. */
  reload: ReloadResult;
}

/**
 * The admin schema endpoints: the live database (db.introspect) mapped to the model, and a scan
 * merged into the app's schema.yaml, which is then written and served (GatewayState.reload).
 */
@Injectable()
export class SchemaAdminService {
  constructor(
    private readonly db: DbClient,
    @Inject(GatewayState) private readonly state: GatewayState,
  ) {}

  async introspect(app: AppRuntime): Promise<IntrospectedSchema> {
    const raw = await this.db.introspect(app.config.name);
    const { schema, notes } = schemaFromDatabase(raw, { authTable: app.config.auth.usersTable });
    return { ...schema, notes };
  }

  async generate(app: AppRuntime): Promise<GeneratedSchema> {
    const raw = await this.db.introspect(app.config.name);
    // The app folder is {root}/apps/{name}; messages name files from the root's parent.
    const displayRoot = resolve(app.config.dir, '../../..');
    const path = join(app.config.dir, SCHEMA_FILE);
    const shown = relative(displayRoot, path);
    // A schema.yaml with problems is refused (ConfigError → VALIDATION_FAILED): a scan would lose its edits.
    const existing = loadSchemaFile(app.config.dir, displayRoot);
    const before = existing === null ? null : readFileSync(path, 'utf8');
    const scan = scanSchema(raw, existing, { authTable: app.config.auth.usersTable, file: shown });
    // Written beside and renamed: a reader never sees half a file.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, scan.yaml);
    renameSync(temporary, path);
    return {
      file: shown,
      changed: before !== scan.yaml,
      tables: scan.schema.tables.length,
      report: scan.report,
      notes: scan.notes,
      findings: scan.findings,
      reload: await this.state.reload(),
    };
  }
}
