import { schemaFromDatabase } from './introspection/schema-from-database.js';
import type { RawDatabase } from './introspection/raw-database.types.js';
import { mergeSchemas, type MergeReport } from './model/schema.merger.js';
import type { SchemaFinding } from './model/schema-finding.js';
import { parseSchemaYaml } from './model/schema-yaml.parser.js';
import { writeSchemaYaml } from './model/schema-yaml.writer.js';
import type { SchemaDef } from './schema.types.js';

export interface ScanOptions {
  /** The users table (`--auth-table`); default: users, user or sogoms_users, whichever exists. */
  authTable?: string;
  /** How findings name the file, e.g. `apps/prokov/schema.yaml`. Default `schema.yaml`. */
  file?: string;
}

export interface ScanResult {
  /** The merged model: database facts from the scan, hand-set options from `existing`. */
  schema: SchemaDef;
  /** `schema` as schema.yaml text, byte for byte the same for the same inputs. */
  yaml: string;
  /** Tables and fields added, dropped (kept in the file) and changed since `existing`. */
  report: MergeReport;
  /** What the scan left out or could not say exactly (see schemaFromDatabase). */
  notes: string[];
  /**
   * What parseSchemaYaml finds in `yaml` (file, line, key): empty for a fresh scan; after a
   * merge, hand edits that no longer fit the database (a crud beyond list on a table that lost
   * its primary key, say) are listed here.
   */
  findings: SchemaFinding[];
}

/**
 * One scan, as `sogoms schema scan` and the gateway's admin endpoint both do it: the database
 * (RawDatabase from readDatabase or `db.introspect`) mapped to the model, merged into the
 * existing schema.yaml model (null when there is none), and written as YAML. Pure: reading the
 * database and writing the file are the caller's.
 */
export const scanSchema = (
  raw: RawDatabase,
  existing: SchemaDef | null,
  options: ScanOptions = {},
): ScanResult => {
  const scanned = schemaFromDatabase(
    raw,
    options.authTable === undefined ? {} : { authTable: options.authTable },
  );
  const { schema, report } = mergeSchemas(existing, scanned.schema);
  const yaml = writeSchemaYaml(schema);
  // Checked as the services will read it: the written text, so findings carry their line.
  const { findings } = parseSchemaYaml(yaml, options.file ?? 'schema.yaml');
  return { schema, yaml, report, notes: scanned.notes, findings };
};
