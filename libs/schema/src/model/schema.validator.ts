import { runSteps, type Steps } from '@sogoms/common';
import { compileNamedSql } from '../named-sql.js';
import { SAFE_IDENTIFIER } from '../quote-identifier.js';
import {
  CRUD_OPS,
  FIELD_TYPES,
  type CrudOp,
  type FieldDef,
  type SchemaDef,
  type TableDef,
} from '../schema.types.js';
import { blindIndexColumn } from './encrypted-storage.js';
import { didYouMean } from './key-suggestion.js';
import { KNOWN_DB_TYPES, LENGTH_DB_TYPES, effectiveDbType } from './schema-defaults.js';
import {
  describe,
  FindingCollector,
  type LineOf,
  type SchemaFinding,
  type SchemaPath,
} from './schema-finding.js';

const NUMERIC_TYPES: readonly string[] = ['int', 'bigint', 'decimal', 'float'];
const AUTO_TYPES: readonly string[] = ['int', 'bigint'];
const DB_TYPE = /^[a-z][a-z0-9_]*$/;
const SAFE = 'a name matching ^[A-Za-z_][A-Za-z0-9_]{0,63}$';

/**
 * Semantic checks of a schema model, whatever produced it (the YAML parser, introspection, a
 * merge): names, references between tables, options that make sense for the table. Paths are
 * the schema.yaml keys; `lineOf` finds them in the file when there is one. `partial` names tables
 * the parser could read only in part (or not at all): references into them are not checked.
 */
export const validateSchema = (
  schema: SchemaDef,
  file: string,
  lineOf?: LineOf,
  partial: ReadonlySet<string> = new Set(),
): SchemaFinding[] => runSteps(validateSchemaSteps(schema, file, lineOf, partial));

/** validateSchema, yielding after each table (see runInSlices). */
export function* validateSchemaSteps(
  schema: SchemaDef,
  file: string,
  lineOf?: LineOf,
  partial: ReadonlySet<string> = new Set(),
): Steps<SchemaFinding[]> {
  const out = new FindingCollector(file, lineOf);
  const byName = new Map<string, TableDef>();
  for (const table of schema.tables) {
    const path = ['tables', table.name];
    if (!SAFE_IDENTIFIER.test(table.name)) out.report(path, SAFE, describe(table.name));
    if (byName.has(table.name)) out.report(path, 'each table once', describe(table.name));
    else byName.set(table.name, table);
  }
  for (const table of schema.tables) {
    new TableValidator(table, byName, partial, out).run();
    yield;
  }
  checkAuth(schema, out);
  return out.findings;
}

class TableValidator {
  private readonly path: SchemaPath;
  private readonly fields = new Map<string, FieldDef>();

  constructor(
    private readonly table: TableDef,
    private readonly tables: ReadonlyMap<string, TableDef>,
    private readonly partial: ReadonlySet<string>,
    private readonly out: FindingCollector,
  ) {
    this.path = ['tables', table.name];
  }

  run(): void {
    const { table, out, path } = this;
    if (table.fields.length === 0) out.report([...path, 'fields'], 'at least one field', 'none');
    for (const field of table.fields) {
      const at = [...path, 'fields', field.name];
      if (!SAFE_IDENTIFIER.test(field.name)) out.report(at, SAFE, describe(field.name));
      if (this.fields.has(field.name)) out.report(at, 'each field once', describe(field.name));
      else this.fields.set(field.name, field);
    }
    for (const field of table.fields) this.field(field, [...path, 'fields', field.name]);
    if (table.fields.filter((f) => f.auto).length > 1) {
      out.report([...path, 'fields'], 'at most one auto field per table', 'several');
    }
    this.primary();
    this.indexes();
    this.relations();
    this.operations();
    this.owner();
    this.order();
    this.filters();
  }

  private field(field: FieldDef, at: SchemaPath): void {
    const { out } = this;
    if (!(FIELD_TYPES as readonly string[]).includes(field.type)) {
      out.report([...at, 'type'], `one of ${FIELD_TYPES.join(', ')}`, describe(field.type));
      return;
    }
    if (field.dbType !== undefined) {
      const owner = FIELD_TYPES.find(
        (t) =>
          t !== field.type &&
          KNOWN_DB_TYPES[t].includes(field.dbType!) &&
          !KNOWN_DB_TYPES[field.type].includes(field.dbType!),
      );
      if (!DB_TYPE.test(field.dbType)) {
        out.report([...at, 'db_type'], 'a MariaDB type name without display width', describe(field.dbType));
      } else if (owner !== undefined) {
        out.report(
          [...at, 'db_type'],
          `a MariaDB type of ${field.type} (${KNOWN_DB_TYPES[field.type].join(', ')}; ${field.dbType} is a ${owner})`,
          describe(field.dbType),
        );
      }
    }
    const dbType = effectiveDbType(field);
    const needsLength =
      (field.type === 'string' || field.type === 'binary') && LENGTH_DB_TYPES.includes(dbType);
    if (needsLength && field.length === undefined) {
      out.report(
        [...at, 'length'],
        `a length for ${dbType} (or a db_type such as ${field.type === 'string' ? 'text' : 'blob'} that needs none)`,
      );
    }
    if (field.length !== undefined && field.type !== 'string' && field.type !== 'binary') {
      out.report([...at, 'length'], 'no length on a field of type ' + field.type, String(field.length));
    }
    if (field.length !== undefined && !(Number.isInteger(field.length) && field.length > 0)) {
      out.report([...at, 'length'], 'a positive integer', describe(field.length));
    }
    this.decimal(field, at);
    this.values(field, at);
    if (field.unsigned && !NUMERIC_TYPES.includes(field.type)) {
      out.report([...at, 'unsigned'], `unsigned only on ${NUMERIC_TYPES.join(', ')}`, `type ${field.type}`);
    }
    if (field.auto && !AUTO_TYPES.includes(field.type)) {
      out.report([...at, 'auto'], 'auto only on int or bigint', `type ${field.type}`);
    }
    if (field.required && field.nullable) {
      out.report([...at, 'required'], 'required (NOT NULL, no default) or nullable, not both', 'both');
    }
    if (field.required && field.default !== undefined) {
      out.report([...at, 'required'], 'no default on a required field (a create must give it)', 'a default');
    }
    if (field.required && field.auto) {
      out.report(
        [...at, 'required'],
        'required or auto, not both (the database fills an auto field)',
        'both',
      );
    }
    if (field.default === null && !field.nullable) {
      out.report([...at, 'default'], 'nullable: true for a null default', 'nullable false');
    }
    if (typeof field.default === 'object' && field.default !== null && field.default.sql.trim() === '') {
      out.report([...at, 'default', 'sql'], 'an SQL expression', 'an empty one');
    }
    if (field.onUpdate !== undefined && field.onUpdate.sql.trim() === '') {
      out.report([...at, 'on_update', 'sql'], 'an SQL expression', 'an empty one');
    }
    if (field.auth !== undefined && field.auth !== 'login' && field.auth !== 'password') {
      out.report([...at, 'auth'], 'login or password', describe(field.auth));
    }
    if (field.foreign !== undefined) this.foreign(field, at);
    this.encryption(field, at);
  }

  /** `encrypted` on string/text values only; `searchable` needs it (docs/crypt.md). */
  private encryption(field: FieldDef, at: SchemaPath): void {
    const { out } = this;
    if (field.searchable === true && field.encrypted !== true)
      out.report(
        [...at, 'searchable'],
        'searchable only with encrypted: true (plain fields filter as they are)',
        'searchable: true',
      );
    if (field.encrypted !== true) return;
    const why = (what: string): string => `no ${what} on an encrypted field`;
    if (field.type !== 'string' && field.type !== 'text')
      out.report([...at, 'encrypted'], 'encrypted only on a string or text field', `type ${field.type}`);
    if (field.primary || field.auto)
      out.report([...at, 'encrypted'], 'encrypted not on a key field', 'primary');
    if (field.foreign !== undefined) out.report([...at, 'foreign'], why('foreign key'), 'foreign');
    if (field.auth === 'login' && field.searchable !== true)
      out.report(
        [...at, 'searchable'],
        'searchable: true on an encrypted login (login finds it by its blind index)',
        'none',
      );
    if (field.auth === 'password')
      out.report([...at, 'auth'], 'auth: password is a hash already, not encrypted', 'encrypted');
    if (field.default !== undefined && field.default !== null)
      out.report(
        [...at, 'default'],
        `${why('default')} other than null (it would be stored in clear)`,
        'a default',
      );
    if (field.unique && field.searchable !== true)
      out.report(
        [...at, 'unique'],
        'searchable: true with unique (the unique index is on the blind index)',
        'unique without searchable',
      );
    const bidx = blindIndexColumn(field.name);
    if (field.searchable === true && this.fields.has(bidx))
      out.report([...at, 'searchable'], `no field named ${bidx} (the blind index column)`, `a field ${bidx}`);
    this.table.indexes.forEach((index) => {
      if (index.fields.includes(field.name))
        out.report(
          [...this.path, 'indexes', index.name, 'fields'],
          `no encrypted field in an index (${field.name}: searchable: true indexes its blind index)`,
          field.name,
        );
    });
  }

  /** decimal: precision 1–65 and scale; datetime/time: fractional seconds as precision 0–6. */
  private decimal(field: FieldDef, at: SchemaPath): void {
    const { out } = this;
    if (field.type === 'datetime' || field.type === 'time') {
      const p = field.precision;
      if (p !== undefined && (!Number.isInteger(p) || p < 0 || p > 6)) {
        out.report([...at, 'precision'], 'fractional seconds from 0 to 6', describe(p));
      }
    } else if (field.type !== 'decimal' && field.precision !== undefined) {
      out.report([...at, 'precision'], 'precision only on decimal, datetime or time', `type ${field.type}`);
    }
    if (field.type !== 'decimal') {
      if (field.scale !== undefined)
        out.report([...at, 'scale'], 'scale only on decimal', `type ${field.type}`);
      return;
    }
    if (field.precision === undefined)
      out.report([...at, 'precision'], 'a precision (digits, 1 to 65) for decimal');
    else if (!Number.isInteger(field.precision) || field.precision < 1 || field.precision > 65) {
      out.report([...at, 'precision'], 'an integer from 1 to 65', describe(field.precision));
    }
    if (field.scale !== undefined) {
      const max = Math.min(30, field.precision ?? 30);
      if (!Number.isInteger(field.scale) || field.scale < 0 || field.scale > max) {
        out.report(
          [...at, 'scale'],
          `an integer from 0 to ${max} (at most the precision and 30)`,
          describe(field.scale),
        );
      }
    }
  }

  private values(field: FieldDef, at: SchemaPath): void {
    const { out } = this;
    if (field.type !== 'enum' && field.type !== 'set') {
      if (field.values !== undefined)
        out.report([...at, 'values'], 'values only on enum or set', `type ${field.type}`);
      return;
    }
    if (field.values === undefined || field.values.length === 0) {
      out.report([...at, 'values'], `the allowed values of the ${field.type}`, 'none');
      return;
    }
    const seen = new Set<string>();
    field.values.forEach((value, i) => {
      if (seen.has(value)) out.report([...at, 'values', i], 'each value once', describe(value));
      seen.add(value);
      if (field.type === 'set' && value.includes(',')) {
        out.report([...at, 'values', i], 'a set value without a comma', describe(value));
      }
    });
    if (field.type === 'enum' && typeof field.default === 'string' && !seen.has(field.default)) {
      out.report(
        [...at, 'default'],
        `one of the values (${field.values.join(', ')})`,
        describe(field.default),
      );
    }
  }

  private foreign(field: FieldDef, at: SchemaPath): void {
    const foreign = field.foreign!;
    const target = this.tables.get(foreign.table);
    if (this.partial.has(foreign.table)) {
      // Read in part: its findings say what is wrong there.
    } else if (target === undefined) {
      this.out.report(
        [...at, 'foreign', 'table'],
        `a table of this file${didYouMean(foreign.table, [...this.tables.keys()])}`,
        describe(foreign.table),
      );
    } else if (!target.fields.some((f) => f.name === foreign.field)) {
      this.out.report(
        [...at, 'foreign', 'field'],
        `a field of ${target.name}${didYouMean(
          foreign.field,
          target.fields.map((f) => f.name),
        )}`,
        describe(foreign.field),
      );
    }
    if (foreign.name !== undefined && !SAFE_IDENTIFIER.test(foreign.name)) {
      this.out.report([...at, 'foreign', 'name'], SAFE, describe(foreign.name));
    }
  }

  private primary(): void {
    const { table, path } = this;
    const seen = new Set<string>();
    table.primary.forEach((name, i) => {
      if (!this.fields.has(name)) this.missingField([...path, 'primary', i], name);
      if (seen.has(name)) this.out.report([...path, 'primary', i], 'each key field once', describe(name));
      seen.add(name);
    });
    for (const field of table.fields) {
      if (field.primary !== seen.has(field.name)) {
        this.out.report(
          [...path, 'fields', field.name, 'primary'],
          `the primary flag to match the table's primary (${table.primary.join(', ') || 'none'})`,
          String(field.primary),
        );
      }
    }
  }

  private indexes(): void {
    const seen = new Set<string>();
    for (const index of this.table.indexes) {
      const at = [...this.path, 'indexes', index.name];
      if (!SAFE_IDENTIFIER.test(index.name)) this.out.report(at, SAFE, describe(index.name));
      if (seen.has(index.name)) this.out.report(at, 'each index once', describe(index.name));
      seen.add(index.name);
      if (index.fields.length === 0) this.out.report([...at, 'fields'], 'at least one field', 'none');
      index.fields.forEach((name, i) => {
        if (!this.fields.has(name)) this.missingField([...at, 'fields', i], name);
      });
      if (index.kind !== undefined && index.kind !== 'fulltext' && index.kind !== 'spatial') {
        this.out.report([...at, 'kind'], 'fulltext or spatial', describe(index.kind));
      }
    }
  }

  private relations(): void {
    const seen = new Set<string>();
    for (const relation of this.table.relations) {
      const at = [...this.path, 'relations', relation.name];
      if (!SAFE_IDENTIFIER.test(relation.name)) this.out.report(at, SAFE, describe(relation.name));
      if (seen.has(relation.name)) this.out.report(at, 'each relation name once', describe(relation.name));
      seen.add(relation.name);
      if (this.fields.has(relation.name)) {
        this.out.report(at, 'a relation name that is not also a field name', describe(relation.name));
      }
      switch (relation.type) {
        case 'belongs_to':
          this.ownField([...at, 'field'], relation.field);
          this.otherField(at, 'table', relation.table, 'references', relation.references);
          break;
        case 'has_many':
          this.otherField(at, 'table', relation.table, 'field', relation.field);
          this.ownField([...at, 'references'], relation.references);
          break;
        case 'many_to_many':
          this.ownField([...at, 'references'], relation.references);
          this.otherField(at, 'through', relation.through, 'field', relation.field);
          this.otherField(at, 'through', relation.through, 'target_field', relation.targetField);
          this.otherField(at, 'table', relation.table, 'target_references', relation.targetReferences);
          break;
        default:
          this.out.report(
            [...at, 'type'],
            'belongs_to, has_many or many_to_many',
            describe((relation as { type: unknown }).type),
          );
      }
    }
  }

  private operations(): void {
    const { table, path } = this;
    const allowed: readonly CrudOp[] =
      table.primary.length === 0 ? ['list'] : table.view ? ['list', 'read'] : CRUD_OPS;
    const why =
      table.primary.length === 0
        ? 'a table without primary key serves only list'
        : 'a view serves only list and read';
    for (const key of ['crud', 'public'] as const) {
      for (const op of table[key]) {
        if (!(CRUD_OPS as readonly string[]).includes(op)) {
          this.out.report([...path, key], `operations among ${CRUD_OPS.join(', ')}`, describe(op));
        } else if (!allowed.includes(op))
          this.out.report([...path, key], `only ${allowed.join(', ')} (${why})`, op);
      }
    }
    for (const op of table.public) {
      if (!table.crud.includes(op))
        this.out.report([...path, 'public'], `public operations among crud (${table.crud.join(', ')})`, op);
    }
  }

  private owner(): void {
    const { table, path } = this;
    if (!SAFE_IDENTIFIER.test(table.ownerField))
      this.out.report([...path, 'owner_field'], SAFE, describe(table.ownerField));
    if (table.filter === undefined) return;
    if (table.view)
      this.out.report(
        [...path, 'filter'],
        'no owner filter on a view (it has no owner to set on writes)',
        'owner',
      );
    if (!this.fields.has(table.ownerField)) {
      this.out.report(
        [...path, table.ownerField === 'user_id' ? 'filter' : 'owner_field'],
        `owner_field naming a field of ${table.name}${didYouMean(table.ownerField, [...this.fields.keys()])}`,
        describe(table.ownerField),
      );
    }
    table.ownerBypass.forEach((role, i) => {
      if (role.trim() === '') this.out.report([...path, 'owner_bypass', i], 'a role name', 'an empty string');
    });
  }

  private order(): void {
    for (const pair of this.table.order) {
      if (!this.fields.has(pair.field)) this.missingField([...this.path, 'order'], pair.field);
    }
  }

  private filters(): void {
    const seen = new Set<string>();
    for (const filter of this.table.filters) {
      const at = [...this.path, 'filters', filter.name];
      if (!SAFE_IDENTIFIER.test(filter.name)) this.out.report(at, SAFE, describe(filter.name));
      if (seen.has(filter.name)) this.out.report(at, 'each filter once', describe(filter.name));
      seen.add(filter.name);
      if (filter.where.trim() === '') {
        this.out.report([...at, 'where'], "a WHERE fragment such as 'title LIKE :q'", 'an empty one');
        continue;
      }
      try {
        compileNamedSql(filter.where);
      } catch {
        this.out.report(
          [...at, 'where'],
          'a WHERE fragment with :name placeholders (no ?)',
          describe(filter.where),
        );
      }
    }
  }

  private ownField(at: SchemaPath, name: string): void {
    if (!this.fields.has(name)) this.missingField(at, name);
  }

  /** `relation[tableKey]` names a table that has field `relation[fieldKey]`. */
  private otherField(
    at: SchemaPath,
    tableKey: string,
    tableName: string,
    fieldKey: string,
    fieldName: string,
  ): void {
    const target = this.tables.get(tableName);
    if (this.partial.has(tableName)) return;
    if (target === undefined) {
      this.out.report(
        [...at, tableKey],
        `a table of this file${didYouMean(tableName, [...this.tables.keys()])}`,
        describe(tableName),
      );
      return;
    }
    if (!target.fields.some((f) => f.name === fieldName)) {
      this.out.report(
        [...at, fieldKey],
        `a field of ${target.name}${didYouMean(
          fieldName,
          target.fields.map((f) => f.name),
        )}`,
        describe(fieldName),
      );
    }
  }

  private missingField(at: SchemaPath, name: string): void {
    this.out.report(
      at,
      `a field of ${this.table.name}${didYouMean(name, [...this.fields.keys()])}`,
      describe(name),
    );
  }
}

/** Login and password fields live on one table, which has exactly one of each. */
const checkAuth = (schema: SchemaDef, collector: FindingCollector): void => {
  const authTables = schema.tables.filter((t) => t.fields.some((f) => f.auth !== undefined));
  authTables.forEach((table, n) => {
    const path = ['tables', table.name];
    if (n > 0) {
      for (const field of table.fields.filter((f) => f.auth !== undefined)) {
        collector.report(
          [...path, 'fields', field.name, 'auth'],
          `auth fields on one table only (already on ${authTables[0].name})`,
          field.auth,
        );
      }
      return;
    }
    for (const kind of ['login', 'password'] as const) {
      const fields = table.fields.filter((f) => f.auth === kind);
      if (fields.length === 0)
        collector.report(
          [...path, 'fields'],
          `a field with auth: ${kind} beside the other auth field`,
          'none',
        );
      for (const extra of fields.slice(1)) {
        collector.report(
          [...path, 'fields', extra.name, 'auth'],
          `one ${kind} field per table (already ${fields[0].name})`,
          kind,
        );
      }
    }
  });
};
