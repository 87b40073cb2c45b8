import { deriveRelations } from '../model/relation-deriver.js';
import { DEFAULT_OWNER_FIELD, defaultCrud } from '../model/schema-defaults.js';
import { SAFE_IDENTIFIER } from '../quote-identifier.js';
import type {
  FieldDef,
  ForeignRef,
  IndexDef,
  ReferentialAction,
  SchemaDef,
  TableDef,
} from '../schema.types.js';
import { mapColumnDefault, mapOnUpdate } from './column-default.mapper.js';
import { mapColumnType } from './column-type.mapper.js';
import type { RawColumn, RawDatabase, RawForeignKey, RawTable } from './raw-database.types.js';
import { mapSqliteColumnType } from './sqlite-column-type.mapper.js';

type TypeMapper = typeof mapColumnType;

export interface SchemaFromDatabaseOptions {
  /** The users table; default: the first of users, user, sogoms_users that exists. */
  authTable?: string;
}

/** Table names taken for the users table when none is given, in this order. */
export const USERS_TABLE_NAMES = ['users', 'user', 'sogoms_users'] as const;
/** Columns taken as the login and the password of the users table, in this order. */
export const LOGIN_COLUMNS = ['email', 'username', 'login'] as const;
export const PASSWORD_COLUMNS = ['password', 'password_hash', 'passwd'] as const;

const RULES: Readonly<Record<string, ReferentialAction>> = {
  RESTRICT: 'restrict',
  CASCADE: 'cascade',
  'SET NULL': 'set_null',
  'NO ACTION': 'no_action',
  'SET DEFAULT': 'set_default',
};

const isSafe = (name: string): boolean => SAFE_IDENTIFIER.test(name);

/**
 * Tables the services keep in an app's database (the mailer's queue, inbox records and
 * webhooks, cron's runs and jobs, push's outbox): never served by the generated API, whatever a
 * scan finds.
 */
export const SERVICE_TABLES: ReadonlySet<string> = new Set([
  'sogoms_mail_queue',
  'sogoms_mail_inbox',
  'sogoms_webhook_queue',
  'sogoms_cron_runs',
  'sogoms_cron_jobs',
  'sogoms_push_outbox',
]);

/** The table kinds served: tables (also system-versioned ones) and views; sequences are not. */
const kindOf = (table: RawTable): 'table' | 'view' | 'other' => {
  if (table.tableType === 'VIEW') return 'view';
  if (table.tableType === 'BASE TABLE' || table.tableType === 'SYSTEM VERSIONED') return 'table';
  return 'other';
};

/**
 * The schema model of one database (docs/schema.md), with a list of notes for a person: what
 * was left out or could not be said exactly (unsafe names, tables without a key, composite
 * foreign keys ...). Everything the database does not say takes its default (crud from the key,
 * nothing public, no order); relations come from the foreign keys (deriveRelations);
 * `filter: owner` goes on tables whose `user_id` references the users table, `auth: login` and
 * `auth: password` on the users table's login and password columns.
 * Deterministic: tables by name, fields in column order, indexes and notes in a fixed order.
 */
/**
 * Tables SOGOMS keeps for itself in an app's database (the mailer's queue, the accounts'
 * sessions, one-time tokens and counters, the creates' idempotency keys): never part of the
 * app's schema.
 */
export const PLATFORM_TABLES: ReadonlySet<string> = new Set([
  'sogoms_mail_queue',
  'sogoms_refresh_tokens',
  'sogoms_auth_tokens',
  'sogoms_auth_attempts',
  'sogoms_idempotency',
]);

export const schemaFromDatabase = (
  raw: RawDatabase,
  options: SchemaFromDatabaseOptions = {},
): { schema: SchemaDef; notes: string[] } => {
  const notes: string[] = [];
  const served = raw.tables.filter((table) => {
    if (PLATFORM_TABLES.has(table.name)) return false;
    if (!isSafe(table.name)) {
      notes.push(
        `table \`${table.name}\`: the name is not a safe identifier (${SAFE_IDENTIFIER.source}); left out`,
      );
      return false;
    }
    if (SERVICE_TABLES.has(table.name)) {
      notes.push(`table ${table.name}: kept by a SOGOMS service, not served; left out`);
      return false;
    }
    if (kindOf(table) === 'other') {
      notes.push(`table ${table.name}: a ${table.tableType.toLowerCase()}, not served; left out`);
      return false;
    }
    return true;
  });
  const names = new Set(served.map((table) => table.name));
  const usersTable = findUsersTable(served, options.authTable, notes);
  const mapType: TypeMapper = raw.engine === 'sqlite' ? mapSqliteColumnType : mapColumnType;
  const tables = served.map((table) => tableFromRaw(table, raw.database, names, usersTable, mapType, notes));
  const schema: SchemaDef = { version: 1, tables: deriveRelations(tables) };
  return { schema, notes };
};

const findUsersTable = (
  tables: readonly RawTable[],
  given: string | undefined,
  notes: string[],
): string | null => {
  const candidates = tables.filter((table) => kindOf(table) === 'table');
  if (given !== undefined) {
    if (candidates.some((table) => table.name === given)) return given;
    notes.push(`auth table ${given} not found among the tables: no auth fields marked`);
    return null;
  }
  return USERS_TABLE_NAMES.find((name) => candidates.some((table) => table.name === name)) ?? null;
};

const tableFromRaw = (
  raw: RawTable,
  database: string,
  tableNames: ReadonlySet<string>,
  usersTable: string | null,
  mapType: TypeMapper,
  notes: string[],
): TableDef => {
  const view = kindOf(raw) === 'view';
  const where = `${view ? 'view' : 'table'} ${raw.name}`;
  const columns = raw.columns.filter((column) => {
    if (isSafe(column.name)) return true;
    notes.push(`${where}: column \`${column.name}\` is not a safe identifier; left out`);
    return false;
  });
  const columnNames = new Set(columns.map((column) => column.name));
  const fields = columns.map((column) =>
    fieldFromColumn(column, raw, `${where}.${column.name}`, mapType, notes),
  );
  const byName = new Map(fields.map((field) => [field.name, field]));

  const primaryIndex = raw.indexes.find((index) => index.name === 'PRIMARY');
  let primary = primaryIndex ? primaryIndex.columns.map((column) => column.name) : [];
  if (primary.some((name) => !columnNames.has(name))) {
    notes.push(`${where}: its primary key uses a column that was left out; served without a key`);
    primary = [];
  }
  for (const name of primary) byName.get(name)!.primary = true;
  if (!view && primary.length === 0) notes.push(`${where}: no primary key; served list-only`);

  const indexes: IndexDef[] = [];
  for (const index of raw.indexes) {
    if (index.name === 'PRIMARY') continue;
    const fieldsOf = index.columns.map((column) => column.name);
    if (!isSafe(index.name) || fieldsOf.some((name) => !columnNames.has(name))) {
      notes.push(`${where}: index \`${index.name}\` uses a name or column left out; not listed`);
      continue;
    }
    const kind =
      index.indexType === 'FULLTEXT' ? 'fulltext' : index.indexType === 'SPATIAL' ? 'spatial' : undefined;
    // MariaDB reports a SUB_PART of 32 for every spatial index: not a prefix anybody declared.
    if (kind !== 'spatial' && index.columns.some((column) => column.subPart !== null)) {
      notes.push(
        `${where}: index ${index.name} indexes a prefix of a column; listed without the prefix length`,
      );
    }
    if (index.unique && kind === undefined && fieldsOf.length === 1) {
      byName.get(fieldsOf[0])!.unique = true;
      // MariaDB names a single-column unique key after its column: then `unique: true` says it all.
      if (index.name === fieldsOf[0]) continue;
    }
    indexes.push({ name: index.name, fields: fieldsOf, unique: index.unique, ...(kind ? { kind } : {}) });
  }

  const foreignByColumn = new Map<string, RawForeignKey>();
  for (const key of raw.foreignKeys) {
    const about = `${where}: foreign key ${key.name}`;
    if (key.columns.length !== 1) {
      notes.push(`${about} has ${key.columns.length} columns; only single-column foreign keys are kept`);
    } else if (key.referencedDatabase !== database) {
      notes.push(`${about} references another database (${key.referencedDatabase}); not kept`);
    } else if (!tableNames.has(key.referencedTable) || !isSafe(key.referencedColumns[0])) {
      notes.push(`${about} references ${key.referencedTable}, which is left out; not kept`);
    } else if (!columnNames.has(key.columns[0]) || !isSafe(key.name)) {
      notes.push(`${about} uses a name or column left out; not kept`);
    } else if (foreignByColumn.has(key.columns[0])) {
      notes.push(
        `${about}: column ${key.columns[0]} has another foreign key; only the first by name is kept`,
      );
    } else foreignByColumn.set(key.columns[0], key);
  }
  for (const [column, key] of foreignByColumn) byName.get(column)!.foreign = foreignRef(key);

  const table: TableDef = {
    name: raw.name,
    primary,
    fields,
    indexes,
    relations: [],
    crud: defaultCrud(view, primary),
    public: [],
    ownerField: DEFAULT_OWNER_FIELD,
    ownerBypass: [],
    order: [],
    filters: [],
    view,
  };
  if (raw.comment !== '') table.comment = raw.comment;
  if (usersTable !== null && raw.name !== usersTable && !view) {
    const owner = byName.get(DEFAULT_OWNER_FIELD);
    if (owner?.foreign?.table === usersTable) table.filter = 'owner';
  }
  if (raw.name === usersTable) markAuthFields(table, notes);
  return table;
};

const foreignRef = (key: RawForeignKey): ForeignRef => ({
  table: key.referencedTable,
  field: key.referencedColumns[0],
  name: key.name,
  onDelete: RULES[key.onDelete] ?? 'restrict',
  onUpdate: RULES[key.onUpdate] ?? 'restrict',
});

const fieldFromColumn = (
  column: RawColumn,
  table: RawTable,
  where: string,
  mapType: TypeMapper,
  notes: string[],
): FieldDef => {
  const facts = mapType(column, table.checks, (message) => notes.push(`${where}: ${message}`));
  const auto = /\bauto_increment\b/.test(column.extra);
  const generated =
    column.generation !== null || /\b(virtual|stored|persistent) generated\b/.test(column.extra);
  const field: FieldDef = {
    name: column.name,
    ...facts,
    unsigned: /\bunsigned\b/i.test(column.columnType),
    primary: false,
    auto,
    unique: false,
    required: !column.nullable && column.default === null && !auto && !generated,
    nullable: column.nullable,
    hidden: false,
    readonly: generated,
  };
  const value = generated ? undefined : mapColumnDefault(column.default, facts.type);
  if (value !== undefined) field.default = value;
  const onUpdate = mapOnUpdate(column.extra);
  if (onUpdate !== undefined) field.onUpdate = onUpdate;
  if (column.comment !== '') field.comment = column.comment;
  if (generated) notes.push(`${where}: a generated column; marked readonly`);
  return field;
};

/** The users table: its login column gets `auth: login`, its password column `auth: password` (hidden). */
const markAuthFields = (table: TableDef, notes: string[]): void => {
  const find = (names: readonly string[]): FieldDef | undefined => {
    for (const name of names) {
      const field = table.fields.find((candidate) => candidate.name.toLowerCase() === name);
      if (field) return field;
    }
    return undefined;
  };
  const login = find(LOGIN_COLUMNS);
  const password = find(PASSWORD_COLUMNS);
  // A users table needs both: one without the other cannot log anybody in.
  if (login === undefined || password === undefined) {
    const missing =
      login === undefined
        ? `login column (${LOGIN_COLUMNS.join(', ')})`
        : `password column (${PASSWORD_COLUMNS.join(', ')})`;
    notes.push(`users table ${table.name} has no ${missing}: no auth fields marked`);
    return;
  }
  login.auth = 'login';
  password.auth = 'password';
  password.hidden = true;
};
