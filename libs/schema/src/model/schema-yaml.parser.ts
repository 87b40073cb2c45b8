import { isRecord, runInSlices, runSteps, type Steps } from '@sogoms/common';
import { LineCounter, parseDocument } from 'yaml';
import { compileNamedSql } from '../named-sql.js';
import {
  CRUD_OPS,
  FIELD_TYPES,
  REFERENTIAL_ACTIONS,
  type CrudOp,
  type FieldDef,
  type FieldType,
  type ForeignRef,
  type IndexDef,
  type NamedFilter,
  type ReferentialAction,
  type RelationDef,
  type SchemaDef,
  type TableDef,
} from '../schema.types.js';
import { didYouMean } from './key-suggestion.js';
import { parseOrderClause } from './order-clause.js';
import { DEFAULT_DB_TYPES, DEFAULT_OWNER_FIELD, defaultCrud } from './schema-defaults.js';
import {
  describe,
  FindingCollector,
  formatSchemaPath,
  sortFindings,
  type LineOf,
  type SchemaFinding,
  type SchemaPath,
} from './schema-finding.js';
import { validateSchema, validateSchemaSteps } from './schema.validator.js';
import { readSchemaDataSteps } from './schema-yaml.chunks.js';
import { yamlLineLocator } from './yaml-line-locator.js';

/** Keys each mapping may hold, in the order docs/schema.md lists them. */
export const SCHEMA_KEYS = ['version', 'tables'] as const;
export const TABLE_KEYS = [
  'comment',
  'view',
  'primary',
  'crud',
  'public',
  'filter',
  'owner_field',
  'owner_bypass',
  'order',
  'fields',
  'indexes',
  'relations',
  'filters',
] as const;
export const FIELD_KEYS = [
  'type',
  'db_type',
  'length',
  'precision',
  'scale',
  'values',
  'unsigned',
  'primary',
  'auto',
  'unique',
  'required',
  'nullable',
  'default',
  'on_update',
  'foreign',
  'hidden',
  'readonly',
  'auth',
  'encrypted',
  'searchable',
  'comment',
] as const;
export const FOREIGN_KEYS = ['table', 'field', 'name', 'on_delete', 'on_update'] as const;
export const INDEX_KEYS = ['fields', 'unique', 'kind'] as const;
const PAIR_RELATION_KEYS = ['type', 'table', 'field', 'references'] as const;
export const RELATION_KEYS = [...PAIR_RELATION_KEYS, 'through', 'target_field', 'target_references'] as const;
export const FILTER_KEYS = ['where'] as const;
const RELATION_TYPES = ['belongs_to', 'has_many', 'many_to_many'] as const;

/** `db_type` is a bare lower-case type name: no display width, no attributes. */
const DB_TYPE = /^[a-z][a-z0-9_]*$/;

/**
 * Reads one schema.yaml (format: docs/schema.md) into the model with every default filled, then
 * runs validateSchema. Findings carry file, line, key path, table and field. `schema` is null when
 * the text is not YAML or not a mapping; otherwise it is the best reading of the file (invalid
 * parts left out) and must not be served while there are findings.
 */
export const parseSchemaYaml = (
  text: string,
  file: string,
): { schema: SchemaDef | null; findings: SchemaFinding[] } => {
  const fast = runSteps(validSchemaSteps(text, file));
  return fast === undefined ? parseWholeDocument(text, file) : { schema: fast, findings: [] };
};

/**
 * parseSchemaYaml for a server that keeps serving while it reads: the table-by-table reading,
 * the model and its validation run in slices with event-loop turns between them (runInSlices).
 * A file with findings (or not in the generator's layout) is then parsed whole, at once.
 */
export const parseSchemaYamlInSlices = async (
  text: string,
  file: string,
  sliceMs?: number,
): Promise<{ schema: SchemaDef | null; findings: SchemaFinding[] }> => {
  const fast = await runInSlices(validSchemaSteps(text, file), sliceMs);
  return fast === undefined ? parseWholeDocument(text, file) : { schema: fast, findings: [] };
};

/** The whole document at once, with line numbers for its findings. */
const parseWholeDocument = (
  text: string,
  file: string,
): { schema: SchemaDef | null; findings: SchemaFinding[] } => {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const findings = doc.errors.map((error): SchemaFinding => {
      const message = error.message.split('\n')[0].replace(/ at line \d+, column (\d+):?$/, ' (column $1)');
      return {
        file,
        line: error.linePos?.[0].line,
        key: '(yaml)',
        message: `expected valid YAML, got ${message}`,
        expected: 'valid YAML',
        got: message,
      };
    });
    return { schema: null, findings };
  }
  const lineOf = yamlLineLocator(doc, lines);
  const out = new FindingCollector(file, lineOf);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias expanding too often (a "billion laughs" file), found only while resolving.
    const message = error instanceof Error ? error.message : String(error);
    out.report([], 'YAML without excessive aliases', message);
    return { schema: null, findings: out.findings };
  }
  const reader = new SchemaReader(out);
  const schema = reader.read(data);
  const findings =
    schema === null
      ? out.findings
      : [...out.findings, ...semanticFindings(schema, reader.partial, file, lineOf)];
  return { schema, findings: sortFindings(findings) };
};

/**
 * The schema when the file reads table by table (readSchemaDataSteps) without a single finding;
 * undefined otherwise, and the whole document is parsed again for findings with lines. Yields
 * between tables.
 */
function* validSchemaSteps(text: string, file: string): Steps<SchemaDef | undefined> {
  const data = yield* readSchemaDataSteps(text, file);
  if (data === undefined) return undefined;
  const out = new FindingCollector(file);
  const reader = new SchemaReader(out);
  const schema = yield* reader.readSteps(data);
  if (schema === null || out.findings.length > 0) return undefined;
  const findings = yield* validateSchemaSteps(schema, file, undefined, reader.partial);
  return findings.some((f) => f.table === undefined || !reader.partial.has(f.table)) ? undefined : schema;
}

/**
 * validateSchema's findings, less those that only repeat a structural one: a table read in part
 * (a field or its key left out) would show a "missing field" that is not missing, so its
 * semantic findings wait until its structure is fixed, and references into it are not checked.
 */
const semanticFindings = (
  schema: SchemaDef,
  partial: ReadonlySet<string>,
  file: string,
  lineOf: LineOf,
): SchemaFinding[] =>
  validateSchema(schema, file, lineOf, partial).filter((f) => f.table === undefined || !partial.has(f.table));

type Mapping = Record<string, unknown>;

/** Walks the parsed YAML; each read* returns the model part or undefined after reporting why. */
class SchemaReader {
  /** Tables left out or read in part (a field, the fields or the key unreadable). */
  readonly partial = new Set<string>();

  constructor(private readonly out: FindingCollector) {}

  read(raw: unknown): SchemaDef | null {
    return runSteps(this.readSteps(raw));
  }

  /** read, yielding after each table. */
  *readSteps(raw: unknown): Steps<SchemaDef | null> {
    if (!isRecord(raw)) {
      this.out.report([], 'a mapping with version and tables', describe(raw));
      return null;
    }
    this.unknownKeys(raw, [], SCHEMA_KEYS);
    let version = 1;
    if (raw.version !== undefined) {
      if (raw.version === 1) version = raw.version;
      else this.out.report(['version'], '1 (the only format version)', describe(raw.version));
    }
    const tables: TableDef[] = [];
    if (raw.tables === undefined) this.out.report(['tables'], 'a mapping of table name to table');
    else if (raw.tables !== null && !isRecord(raw.tables)) {
      this.out.report(['tables'], 'a mapping of table name to table', describe(raw.tables));
    } else {
      for (const [name, value] of Object.entries(raw.tables ?? {})) {
        const table = this.table(name, value, ['tables', name]);
        if (table !== undefined) tables.push(table);
        yield;
      }
    }
    return { version, tables };
  }

  private table(name: string, raw: unknown, path: SchemaPath): TableDef | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, 'a mapping with fields', describe(raw));
      this.partial.add(name);
      return undefined;
    }
    this.unknownKeys(raw, path, TABLE_KEYS);
    const view = this.flag(raw, 'view', path);
    const fields: FieldDef[] = [];
    const before = this.out.findings.length;
    // A missing or empty `fields` is reported by validateSchema (a table needs at least one field).
    if (raw.fields !== undefined && raw.fields !== null && !isRecord(raw.fields)) {
      this.out.report([...path, 'fields'], 'a mapping of field name to field', describe(raw.fields));
      this.partial.add(name);
    } else if (isRecord(raw.fields)) {
      for (const [fieldName, value] of Object.entries(raw.fields)) {
        const field = this.field(fieldName, value, [...path, 'fields', fieldName]);
        if (field !== undefined) fields.push(field);
        else this.partial.add(name);
      }
    }
    const keyKeys = new Set([
      formatSchemaPath([...path, 'primary']),
      ...fields.map((f) => formatSchemaPath([...path, 'fields', f.name, 'primary'])),
    ]);
    if (this.out.findings.slice(before).some((f) => keyKeys.has(f.key))) this.partial.add(name);
    let primary: string[];
    if (raw.primary === undefined) primary = fields.filter((f) => f.primary).map((f) => f.name);
    else {
      primary = this.nameList(raw.primary, [...path, 'primary'], 'a list of key fields in key order') ?? [];
      for (const f of fields) {
        if (f.primary && !primary.includes(f.name)) {
          this.out.report(
            [...path, 'fields', f.name, 'primary'],
            `the field listed in the table's primary (${primary.join(', ') || 'empty'}), or no primary flag`,
            'primary: true',
          );
        }
        f.primary = primary.includes(f.name);
      }
    }
    const table: TableDef = {
      name,
      primary,
      fields,
      indexes: this.entries(raw.indexes, [...path, 'indexes'], (n, v, p) => this.index(n, v, p)),
      relations: this.entries(raw.relations, [...path, 'relations'], (n, v, p) => this.relation(n, v, p)),
      crud: this.ops(raw.crud, [...path, 'crud']) ?? defaultCrud(view, primary),
      public: this.ops(raw.public, [...path, 'public']) ?? [],
      ownerField: DEFAULT_OWNER_FIELD,
      ownerBypass: [],
      order: [],
      filters: this.entries(raw.filters, [...path, 'filters'], (n, v, p) => this.filter(n, v, p)),
      view,
    };
    const comment = this.text(raw, 'comment', path);
    if (comment !== undefined) table.comment = comment;
    if (raw.filter !== undefined) {
      if (raw.filter === 'owner') table.filter = 'owner';
      else
        this.out.report(
          [...path, 'filter'],
          'owner (rows belong to the user in owner_field)',
          describe(raw.filter),
        );
    }
    const ownerField = this.text(raw, 'owner_field', path);
    if (ownerField !== undefined) table.ownerField = ownerField;
    if (raw.owner_bypass !== undefined) {
      table.ownerBypass =
        this.textList(raw.owner_bypass, [...path, 'owner_bypass'], 'a list of role names') ?? [];
    }
    if (raw.order !== undefined) {
      const pairs = typeof raw.order === 'string' ? parseOrderClause(raw.order) : undefined;
      if (pairs === undefined) {
        this.out.report([...path, 'order'], '`field [asc|desc], ...`', describe(raw.order));
      } else table.order = pairs;
    }
    return table;
  }

  private field(name: string, raw: unknown, path: SchemaPath): FieldDef | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, 'a mapping such as { type: int }', describe(raw));
      return undefined;
    }
    this.unknownKeys(raw, path, FIELD_KEYS);
    if (!(FIELD_TYPES as readonly unknown[]).includes(raw.type)) {
      const hint = typeof raw.type === 'string' ? didYouMean(raw.type, FIELD_TYPES) : '';
      this.out.report([...path, 'type'], `one of ${FIELD_TYPES.join(', ')}${hint}`, describe(raw.type));
      return undefined;
    }
    const type = raw.type as FieldType;
    const field: FieldDef = {
      name,
      type,
      unsigned: this.flag(raw, 'unsigned', path),
      primary: this.flag(raw, 'primary', path),
      auto: this.flag(raw, 'auto', path),
      unique: this.flag(raw, 'unique', path),
      required: this.flag(raw, 'required', path),
      nullable: this.flag(raw, 'nullable', path),
      hidden: this.flag(raw, 'hidden', path),
      readonly: this.flag(raw, 'readonly', path),
    };
    if (raw.db_type !== undefined) {
      const dbType = typeof raw.db_type === 'string' ? raw.db_type.trim().toLowerCase() : undefined;
      if (dbType === undefined || !DB_TYPE.test(dbType)) {
        this.out.report(
          [...path, 'db_type'],
          'a MariaDB type name without display width, e.g. smallint',
          describe(raw.db_type),
        );
      } else if (dbType !== DEFAULT_DB_TYPES[type]) field.dbType = dbType;
    }
    const length = this.integer(raw, 'length', path, 1);
    if (length !== undefined) field.length = length;
    const precision = this.integer(raw, 'precision', path, 0); // datetime(0) .. decimal(65)
    if (precision !== undefined) field.precision = precision;
    const scale = this.integer(raw, 'scale', path, 0);
    if (scale !== undefined) field.scale = scale;
    else if (type === 'decimal' && precision !== undefined) field.scale = 0; // decimal(p) is decimal(p,0)
    if (raw.values !== undefined) {
      const values = this.textList(
        raw.values,
        [...path, 'values'],
        'a list of strings (quote numbers)',
        true,
      );
      if (values !== undefined) field.values = values;
    }
    if (raw.default !== undefined) {
      const value = this.defaultValue(raw.default, [...path, 'default']);
      if (value !== undefined) field.default = value;
    }
    if (raw.on_update !== undefined) {
      const value = this.sqlExpression(raw.on_update, [...path, 'on_update']);
      if (value !== undefined) field.onUpdate = value;
    }
    if (raw.foreign !== undefined) {
      const foreign = this.foreign(raw.foreign, [...path, 'foreign']);
      if (foreign !== undefined) field.foreign = foreign;
    }
    if (raw.auth !== undefined) {
      if (raw.auth === 'login' || raw.auth === 'password') field.auth = raw.auth;
      else this.out.report([...path, 'auth'], 'login or password', describe(raw.auth));
    }
    if (this.flag(raw, 'encrypted', path)) field.encrypted = true;
    if (this.flag(raw, 'searchable', path)) field.searchable = true;
    const comment = this.text(raw, 'comment', path);
    if (comment !== undefined) field.comment = comment;
    return field;
  }

  private defaultValue(raw: unknown, path: SchemaPath): FieldDef['default'] {
    if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return raw;
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
    if (isRecord(raw)) return this.sqlExpression(raw, path);
    this.out.report(path, 'a literal, null, or { sql: expression }', describe(raw));
    return undefined;
  }

  private sqlExpression(raw: unknown, path: SchemaPath): { sql: string } | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, '{ sql: expression }', describe(raw));
      return undefined;
    }
    this.unknownKeys(raw, path, ['sql']);
    if (typeof raw.sql !== 'string' || raw.sql.trim() === '') {
      this.out.report([...path, 'sql'], 'an SQL expression such as current_timestamp()', describe(raw.sql));
      return undefined;
    }
    return { sql: raw.sql };
  }

  private foreign(raw: unknown, path: SchemaPath): ForeignRef | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, '{ table, field, name?, on_delete?, on_update? }', describe(raw));
      return undefined;
    }
    this.unknownKeys(raw, path, FOREIGN_KEYS);
    const table = this.requiredText(raw, 'table', path);
    const field = this.requiredText(raw, 'field', path);
    const onDelete = this.action(raw, 'on_delete', path);
    const onUpdate = this.action(raw, 'on_update', path);
    const name = this.text(raw, 'name', path);
    if (table === undefined || field === undefined) return undefined;
    return { table, field, ...(name === undefined ? {} : { name }), onDelete, onUpdate };
  }

  private action(raw: Mapping, key: string, path: SchemaPath): ReferentialAction {
    const value = raw[key];
    if (value === undefined) return 'restrict';
    const action = typeof value === 'string' ? value.trim().toLowerCase().replace(/\s+/g, '_') : undefined;
    if ((REFERENTIAL_ACTIONS as readonly unknown[]).includes(action)) return action as ReferentialAction;
    this.out.report([...path, key], `one of ${REFERENTIAL_ACTIONS.join(', ')}`, describe(value));
    return 'restrict';
  }

  private index(name: string, raw: unknown, path: SchemaPath): IndexDef | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, '{ fields, unique?, kind? }', describe(raw));
      return undefined;
    }
    this.unknownKeys(raw, path, INDEX_KEYS);
    const fields = this.nameList(raw.fields, [...path, 'fields'], 'a non-empty list of field names');
    const index: IndexDef = { name, fields: fields ?? [], unique: this.flag(raw, 'unique', path) };
    if (fields !== undefined && fields.length === 0) {
      this.out.report([...path, 'fields'], 'a non-empty list of field names', 'an empty list');
    }
    if (raw.kind !== undefined) {
      if (raw.kind === 'fulltext' || raw.kind === 'spatial') index.kind = raw.kind;
      else
        this.out.report(
          [...path, 'kind'],
          'fulltext or spatial (absent for a btree index)',
          describe(raw.kind),
        );
    }
    return fields === undefined ? undefined : index;
  }

  private relation(name: string, raw: unknown, path: SchemaPath): RelationDef | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, '{ type, table, field, references, ... }', describe(raw));
      return undefined;
    }
    const type = raw.type;
    if (type !== 'belongs_to' && type !== 'has_many' && type !== 'many_to_many') {
      const hint = typeof type === 'string' ? didYouMean(type, RELATION_TYPES) : '';
      this.out.report([...path, 'type'], `one of ${RELATION_TYPES.join(', ')}${hint}`, describe(type));
      return undefined;
    }
    const { owner_check: ownerCheck, ...keys } = raw;
    // The check guards the foreign key a write gives: only a belongs_to names one.
    if (ownerCheck !== undefined && type !== 'belongs_to')
      this.out.report(
        [...path, 'owner_check'],
        `no owner_check on a ${type} relation (only a belongs_to has one)`,
        describe(ownerCheck),
      );
    else if (ownerCheck !== undefined && typeof ownerCheck !== 'boolean')
      this.out.report([...path, 'owner_check'], 'true or false', describe(ownerCheck));
    this.unknownKeys(keys, path, type === 'many_to_many' ? RELATION_KEYS : PAIR_RELATION_KEYS);
    const table = this.requiredText(raw, 'table', path);
    const field = this.requiredText(raw, 'field', path);
    const references = this.requiredText(raw, 'references', path);
    if (type !== 'many_to_many') {
      if (table === undefined || field === undefined || references === undefined) return undefined;
      // Only the opt-out is kept: `owner_check: true` is the default.
      return type === 'belongs_to' && ownerCheck === false
        ? { name, type, table, field, references, ownerCheck }
        : { name, type, table, field, references };
    }
    const through = this.requiredText(raw, 'through', path);
    const targetField = this.requiredText(raw, 'target_field', path);
    const targetReferences = this.requiredText(raw, 'target_references', path);
    if (
      table === undefined ||
      field === undefined ||
      references === undefined ||
      through === undefined ||
      targetField === undefined ||
      targetReferences === undefined
    ) {
      return undefined;
    }
    return { name, type, table, through, field, references, targetField, targetReferences };
  }

  private filter(name: string, raw: unknown, path: SchemaPath): NamedFilter | undefined {
    if (!isRecord(raw)) {
      this.out.report(path, "{ where: 'title LIKE :q' }", describe(raw));
      return undefined;
    }
    this.unknownKeys(raw, path, FILTER_KEYS);
    const where = this.requiredText(raw, 'where', path);
    if (where === undefined) return undefined;
    let params: string[] = [];
    try {
      params = compileNamedSql(where).params;
    } catch {
      // validateSchema reports a where that does not compile.
    }
    return { name, where, params };
  }

  private ops(raw: unknown, path: SchemaPath): CrudOp[] | undefined {
    if (raw === undefined) return undefined;
    const expected = `a list among ${CRUD_OPS.join(', ')}`;
    if (!Array.isArray(raw)) {
      this.out.report(path, expected, describe(raw));
      return undefined;
    }
    const ops = new Set<CrudOp>();
    raw.forEach((op: unknown, i) => {
      if (!(CRUD_OPS as readonly unknown[]).includes(op)) {
        const hint = typeof op === 'string' ? didYouMean(op, CRUD_OPS) : '';
        this.out.report([...path, i], `one of ${CRUD_OPS.join(', ')}${hint}`, describe(op));
      } else if (ops.has(op as CrudOp)) this.out.report([...path, i], 'each operation once', describe(op));
      else ops.add(op as CrudOp);
    });
    return CRUD_OPS.filter((op) => ops.has(op)); // canonical order
  }

  /** A mapping of name → entry; a missing or null section is empty. */
  private entries<T>(
    raw: unknown,
    path: SchemaPath,
    read: (name: string, value: unknown, path: SchemaPath) => T | undefined,
  ): T[] {
    if (raw === undefined || raw === null) return [];
    if (!isRecord(raw)) {
      this.out.report(path, 'a mapping of name to entry', describe(raw));
      return [];
    }
    return Object.entries(raw).flatMap(([name, value]) => {
      const entry = read(name, value, [...path, name]);
      return entry === undefined ? [] : [entry];
    });
  }

  private nameList(raw: unknown, path: SchemaPath, expected: string): string[] | undefined {
    return this.textList(raw, path, expected);
  }

  private textList(
    raw: unknown,
    path: SchemaPath,
    expected: string,
    allowEmptyText = false,
  ): string[] | undefined {
    if (!Array.isArray(raw)) {
      this.out.report(path, expected, describe(raw));
      return undefined;
    }
    let ok = true;
    raw.forEach((item: unknown, i) => {
      if (typeof item !== 'string' || (!allowEmptyText && item === '')) {
        this.out.report([...path, i], 'a string', describe(item));
        ok = false;
      }
    });
    // A copy: the model never shares arrays with the parsed data (remembered between readings).
    return ok ? [...(raw as string[])] : undefined;
  }

  private flag(raw: Mapping, key: string, path: SchemaPath): boolean {
    const value = raw[key];
    if (value === undefined) return false;
    if (typeof value === 'boolean') return value;
    this.out.report([...path, key], 'true or false', describe(value));
    return false;
  }

  private text(raw: Mapping, key: string, path: SchemaPath): string | undefined {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    this.out.report([...path, key], 'a string', describe(value));
    return undefined;
  }

  private requiredText(raw: Mapping, key: string, path: SchemaPath): string | undefined {
    const value = raw[key];
    if (typeof value === 'string' && value !== '') return value;
    this.out.report([...path, key], 'a name', describe(value));
    return undefined;
  }

  private integer(raw: Mapping, key: string, path: SchemaPath, min: number): number | undefined {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
    this.out.report(
      [...path, key],
      min === 0 ? 'an integer of 0 or more' : 'a positive integer',
      describe(value),
    );
    return undefined;
  }

  private unknownKeys(raw: Mapping, path: SchemaPath, known: readonly string[]): void {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) {
        this.out.report(
          [...path, key],
          `one of ${known.join(', ')}${didYouMean(key, known)}`,
          'an unknown key',
        );
      }
    }
  }
}
