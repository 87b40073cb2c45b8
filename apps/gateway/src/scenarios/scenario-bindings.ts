import type { TokenClaims } from '@sogoms/auth';
import { isRecord, SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import type { CompiledScenario } from '@sogoms/schema';

/** What a scenario endpoint's placeholders are bound from. */
export interface EndpointInput {
  app: string;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, unknown>>;
  body: unknown;
  caller: TokenClaims | null;
}

type Problems = Record<string, string[]>;

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** A request value as a bound SQL value: scalars as they are, a list of scalars for `IN (:x)`. */
const sqlValue = (name: string, value: unknown, problems: Problems, jsonObjects: boolean): SqlValue => {
  if (value === undefined || isScalar(value)) return value ?? null;
  if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) return value;
  // A JSON object in a body is stored as its text (JSON columns); a query string has none.
  if (jsonObjects && isRecord(value)) return JSON.stringify(value);
  problems[name] = ['must be a value or a non-empty list of values'];
  return null;
};

/**
 * Binds every placeholder a scenario's steps use: the token's `user_id`, `role`, `email` (null
 * without a token, on a public endpoint), `app`, and `path.x`, `query.x`, `body.x` from the
 * request. An absent query or body value binds NULL (write `:query.x IS NULL OR ...` for an
 * optional filter); a value that cannot be bound is a 400 naming it.
 */
export const endpointBindings = (
  scenario: CompiledScenario,
  input: EndpointInput,
): Record<string, SqlValue> => {
  const names = new Set(scenario.steps.flatMap((step) => step.sql.params));
  const bindings: Record<string, SqlValue> = {};
  const problems: Problems = {};
  const usesBody = [...names].some((n) => n.startsWith('body.'));
  if (usesBody && !isRecord(input.body))
    throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', { body: ['must be a JSON object'] });
  const body = isRecord(input.body) ? input.body : {};
  for (const name of names) {
    const dot = name.indexOf('.');
    const source = dot === -1 ? name : name.slice(0, dot);
    const key = name.slice(dot + 1);
    switch (source) {
      case 'user_id':
        bindings[name] = input.caller?.sub ?? null;
        break;
      case 'role':
        bindings[name] = input.caller?.role ?? null;
        break;
      case 'email':
        bindings[name] = input.caller?.email ?? null;
        break;
      case 'app':
        bindings[name] = input.app;
        break;
      case 'path':
        bindings[name] = input.params[key] ?? null;
        break;
      case 'query':
        bindings[name] = sqlValue(name, input.query[key], problems, false);
        break;
      case 'body':
        bindings[name] = sqlValue(name, body[key], problems, true);
        break;
      default:
        // The loader admits no other placeholder; reaching this is our bug.
        throw new SogomsError('INTERNAL', `Unknown scenario placeholder :${name}`);
    }
  }
  if (Object.keys(problems).length > 0)
    throw new SogomsError('VALIDATION_FAILED', 'Invalid request', problems);
  return bindings;
};
