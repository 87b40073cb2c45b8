import { dirname } from 'node:path';
import type { AppConfig } from '@sogoms/config';
import {
  diffSchemas,
  loadSchemaFile,
  schemaFromDatabase,
  type SchemaChange,
  type SchemaDef,
} from '@sogoms/schema';
import { CliFailure } from './cli-context.js';
import type { AppDatabase } from './database-connection.js';

/** The app's schema.yaml, validated; a missing file is a CliFailure that says how to make one. */
export const desiredSchemaOf = (configRoot: string, app: AppConfig): SchemaDef => {
  const schema = loadSchemaFile(app.dir, dirname(configRoot));
  if (schema === null)
    throw new CliFailure(
      `app '${app.name}' has no schema.yaml yet (make one with \`sogoms schema scan ${app.name}\`)`,
    );
  return schema;
};

/** The live database as a schema model (its catalog read through the CLI's connection). */
export const liveSchemaOf = async (db: AppDatabase): Promise<SchemaDef> =>
  schemaFromDatabase(await db.introspect()).schema;

/** What differs between schema.yaml and the live database, read on the given connection. */
export const compareWithDatabase = async (desired: SchemaDef, db: AppDatabase): Promise<SchemaChange[]> =>
  diffSchemas(desired, await liveSchemaOf(db), { engine: db.engine });
