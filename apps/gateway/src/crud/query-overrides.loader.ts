import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isRecord } from '@sogoms/common';
import { ConfigError, type ConfigProblem } from '@sogoms/config';
import {
  CRUD_OPS,
  compileNamedSql,
  type CompiledSql,
  type CrudOp,
  type SchemaDef,
  type TableDef,
} from '@sogoms/schema';
import { parse } from 'yaml';

/** The role whose SQL applies when the caller's role has none of its own. */
export const DEFAULT_QUERY_ROLE = 'default';

/** `queries/{table}.yaml`: per op, per role, the SQL that replaces the generated one. */
export type TableQueryOverrides = ReadonlyMap<CrudOp, ReadonlyMap<string, CompiledSql>>;

/** Placeholders every override may use (from the token and the app). */
const CALLER_PARAMS = ['user_id', 'role', 'email', 'app'];
/** And per op: paging for list; the path's id and key fields for the others; the body for writes. */
const OP_PARAMS: Record<CrudOp, { paging: boolean; path: boolean; body: boolean; query: boolean }> = {
  list: { paging: true, path: false, body: false, query: true },
  read: { paging: false, path: true, body: false, query: false },
  create: { paging: false, path: false, body: true, query: false },
  update: { paging: false, path: true, body: true, query: false },
  delete: { paging: false, path: true, body: false, query: false },
};

const ROLE = /^[A-Za-z0-9_-]{1,64}$/;
const QUERY_NAME = /^query\.[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Why a placeholder is not allowed in this op's SQL, or null when it is. */
const placeholderProblem = (table: TableDef, op: CrudOp, name: string): string | null => {
  const allowed = OP_PARAMS[op];
  if (CALLER_PARAMS.includes(name)) return null;
  if (allowed.paging && (name === 'limit' || name === 'offset')) return null;
  if (allowed.query && QUERY_NAME.test(name)) return null;
  if (allowed.path && name.startsWith('path.')) {
    const key = name.slice('path.'.length);
    return key === 'id' || table.primary.includes(key) ? null : `path.${key} is not id or a key field`;
  }
  if (allowed.body && name.startsWith('body.')) {
    const field = name.slice('body.'.length);
    return table.fields.some((f) => f.name === field)
      ? null
      : `body.${field} is not a field of ${table.name}`;
  }
  return `:${name} is not available in ${op}`;
};

/**
 * Loads `{appDir}/queries/*.yaml` (absent folder: none). Each file is named after a table of the
 * schema and maps ops to SQL, either one string (the `default` role) or role → SQL:
 *
 *     list:
 *       default: SELECT * FROM tasks WHERE user_id = :user_id ORDER BY position LIMIT :limit OFFSET :offset
 *       admin: SELECT * FROM tasks ORDER BY id LIMIT :limit OFFSET :offset
 *
 * Every problem of every file is reported at once (a reload keeps the live snapshot).
 */
export const loadQueryOverrides = (
  appDir: string,
  displayRoot: string,
  schema: SchemaDef | null,
): ReadonlyMap<string, TableQueryOverrides> => {
  const dir = join(appDir, 'queries');
  const result = new Map<string, TableQueryOverrides>();
  if (!existsSync(dir)) return result;
  const problems: ConfigProblem[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  for (const file of files) {
    const shown = relative(displayRoot, join(dir, file));
    const tableName = file.replace(/\.ya?ml$/, '');
    const table = schema?.tables.find((t) => t.name === tableName);
    if (table === undefined) {
      problems.push({
        file: shown,
        key: '(file)',
        expected: 'the name of a table of schema.yaml',
        got: tableName,
      });
      continue;
    }
    let doc: unknown;
    try {
      doc = parse(readFileSync(join(dir, file), 'utf8'));
    } catch {
      problems.push({ file: shown, key: '(file)', expected: 'valid YAML' });
      continue;
    }
    if (!isRecord(doc)) {
      problems.push({ file: shown, key: '(file)', expected: 'a mapping of operations to SQL' });
      continue;
    }
    const ops = new Map<CrudOp, Map<string, CompiledSql>>();
    for (const [opName, value] of Object.entries(doc)) {
      if (!(CRUD_OPS as readonly string[]).includes(opName)) {
        problems.push({ file: shown, key: opName, expected: `one of ${CRUD_OPS.join(' ')}` });
        continue;
      }
      const op = opName as CrudOp;
      const byRole = typeof value === 'string' ? { [DEFAULT_QUERY_ROLE]: value } : value;
      if (!isRecord(byRole)) {
        problems.push({ file: shown, key: op, expected: 'SQL text, or a mapping of roles to SQL text' });
        continue;
      }
      const roles = new Map<string, CompiledSql>();
      for (const [role, sql] of Object.entries(byRole)) {
        const key = `${op}.${role}`;
        if (!ROLE.test(role) || typeof sql !== 'string' || sql.trim() === '') {
          problems.push({ file: shown, key, expected: 'a role name mapped to SQL text' });
          continue;
        }
        let compiled: CompiledSql;
        try {
          compiled = compileNamedSql(sql);
        } catch (error) {
          problems.push({
            file: shown,
            key,
            expected: 'SQL with :name placeholders',
            got: (error as Error).message,
          });
          continue;
        }
        for (const name of compiled.params) {
          const problem = placeholderProblem(table, op, name);
          if (problem !== null)
            problems.push({ file: shown, key, expected: 'known placeholders', got: problem });
        }
        roles.set(role, compiled);
      }
      ops.set(op, roles);
    }
    result.set(tableName, ops);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
};
