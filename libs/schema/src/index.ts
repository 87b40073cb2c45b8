export { compileNamedSql, bindNamedParams, type CompiledSql } from './named-sql.js';
export { quoteIdentifier, SAFE_IDENTIFIER } from './quote-identifier.js';
export { loadScenarios, SCENARIO_PARAMS } from './scenario-loader.js';
export { parseRoutePath, routeShapeKey, ROUTE_PATH_EXPECTED } from './route-path.js';
export {
  SCENARIO_METHODS,
  type CompiledScenario,
  type RouteSegment,
  type ScenarioEndpoint,
  type ScenarioMethod,
  type ScenarioStep,
} from './scenario.types.js';
export { checkAppFiles } from './app-files.check.js';
export * from './schema.types.js';
export { parseSchemaYaml } from './model/schema-yaml.parser.js';
export {
  loadSchemaFile,
  loadSchemaFileInSlices,
  SCHEMA_FILE,
  type SchemaLoadOptions,
} from './model/schema-file.loader.js';
export { restoreSchemaChunks, saveSchemaChunks, schemaChunkCachePath } from './model/schema-chunk-cache.js';
export { validateSchema } from './model/schema.validator.js';
export { writeSchemaYaml } from './model/schema-yaml.writer.js';
export {
  findingsToConfigError,
  sortFindings,
  type SchemaFinding,
  type SchemaPath,
  type LineOf,
} from './model/schema-finding.js';
export {
  DEFAULT_DB_TYPES,
  DEFAULT_OWNER_FIELD,
  KNOWN_DB_TYPES,
  LENGTH_DB_TYPES,
  defaultCrud,
  effectiveDbType,
} from './model/schema-defaults.js';
export { parseOrderClause, formatOrderClause, type OrderPair } from './model/order-clause.js';
export { diffSchemas } from './diff/schema-diff.js';
export { describeChange } from './diff/change-description.js';
export type {
  SchemaChange,
  SchemaChangeKind,
  IndexShape,
  ForeignKeyShape,
} from './diff/schema-change.types.js';
export { migrationFor, type Migration, type MigrationOptions } from './migrate/ddl-builder.js';
export { applyMigration, type MigrationRun, type StatementExecutor } from './migrate/migration-runner.js';
export { readDatabase, type IntrospectionQuery } from './introspection/information-schema.reader.js';
export { readSqliteDatabase } from './introspection/sqlite-pragma.reader.js';
export type {
  RawDatabase,
  RawTable,
  RawColumn,
  RawIndex,
  RawForeignKey,
  RawCheck,
} from './introspection/raw-database.types.js';
export { schemaFromDatabase, type SchemaFromDatabaseOptions } from './introspection/schema-from-database.js';
export { deriveRelations } from './model/relation-deriver.js';
export { mergeSchemas, type MergeReport } from './model/schema.merger.js';
export { scanSchema, type ScanOptions, type ScanResult } from './scan.js';
export {
  blindIndexColumn,
  blindIndexField,
  blindIndexNormalisation,
  declaredFromStorage,
  storageSchema,
  storageTable,
  storedField,
} from './model/encrypted-storage.js';
export {
  loginFieldStorageOf,
  type LoginFieldApp,
  type LoginFieldStorage,
} from './model/login-field-storage.js';
