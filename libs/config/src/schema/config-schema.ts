import { editDistance, isRecord } from '@sogoms/common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * A tiny declarative schema for configuration files. Each file type is described once
 * (see global-config.schema.ts, app-config.schema.ts); the walker validates the parsed YAML,
 * reports every problem with its key path and what was expected, converts snake_case keys to
 * camelCase and fills in defaults. It exists because the messages must name the key, the
 * expectation and what was found, without ever echoing a secret.
 */

/** Where a value sits in a file: keys and list indexes, e.g. `['database', 'init', 0]`. */
export type KeyPath = readonly (string | number)[];

export const formatKeyPath = (path: KeyPath): string => {
  const text = path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`),
    '',
  );
  return text === '' ? '(top level)' : text;
};

export interface ReadContext {
  /** Absolute config root: the base of `*_file` paths and of root-relative paths. */
  readonly root: string;
  /** Absolute folder of the file being read: the base of file-relative paths. */
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  report(path: KeyPath, expected: string, got?: string): void;
}

/** Marks a value that failed validation (its problem is already reported). */
export const INVALID: unique symbol = Symbol('invalid');
export type Read<T> = T | typeof INVALID;

export interface Schema<T> {
  /** What a valid value looks like, for messages: `a string of at least 32 characters`. */
  readonly expected: string;
  /** Key in the typed object when it is not the camelCase of the YAML key. */
  readonly outputKey?: string;
  /** Validates and converts one value; `undefined` means the key is absent. */
  read(value: unknown, path: KeyPath, ctx: ReadContext): Read<T>;
}

/** A single value; it may also come from `<key>_file` or `<key>_env`. */
export interface ScalarSchema<T> extends Schema<T> {
  readonly scalar: true;
  /** Secrets are described by length in messages, never shown. */
  readonly secret: boolean;
  /** Turns text from a file or an environment variable into what `read` accepts. */
  fromText(text: string): unknown;
}

export type OutputOf<S> = S extends Schema<infer T> ? T : never;

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** A field's key in the typed object: camelCase of the YAML key, unless renamed with `outputAs`. */
type OutputKey<K extends string, S> = S extends { outputKey: infer O extends string } ? O : CamelCase<K>;

export type Fields = Record<string, Schema<unknown>>;
export type ObjectOutput<F extends Fields> = {
  [K in keyof F & string as OutputKey<K, F[K]>]: OutputOf<F[K]>;
};

/** Gives a field another key in the typed object, e.g. `jwt_expires_in` → `jwtExpiresInS`. */
export const outputAs = <S extends Schema<unknown>, O extends string>(
  key: O,
  schema: S,
): S & { outputKey: O } => ({
  ...schema,
  outputKey: key,
});

const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const isScalar = (schema: Schema<unknown>): schema is ScalarSchema<unknown> =>
  (schema as Partial<ScalarSchema<unknown>>).scalar === true;

/** How a value appears in a message. Strings of secrets show only their length. */
export const describeValue = (value: unknown, secret = false): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') {
    if (secret) return `${value.length} characters`;
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SOURCE_SUFFIXES = ['_env', '_file'] as const;

/** A context whose messages say where a value came from (`from jwt_secret_file "secrets/jwt"`). */
const withOrigin = (ctx: ReadContext, origin: string): ReadContext => ({
  ...ctx,
  report: (path, expected, got) => ctx.report(path, expected, `${got ?? 'nothing'} (from ${origin})`),
});

type Sourced = { value: unknown; ctx: ReadContext } | typeof INVALID;

/**
 * The value of scalar `key`: `<key>_env` (when the variable is set) wins over `<key>_file`
 * (relative to the config root, trimmed), which wins over `key` itself.
 */
const readSourced = (
  input: Record<string, unknown>,
  key: string,
  schema: ScalarSchema<unknown>,
  path: KeyPath,
  ctx: ReadContext,
): Sourced => {
  const envKey = `${key}_env`;
  const fileKey = `${key}_file`;
  const envName = input[envKey];
  if (envName !== undefined) {
    if (typeof envName !== 'string' || !ENV_NAME.test(envName)) {
      ctx.report([...path, envKey], 'an environment variable name', describeValue(envName));
      return INVALID;
    }
    const text = ctx.env[envName];
    if (text !== undefined) return { value: schema.fromText(text), ctx: withOrigin(ctx, `$${envName}`) };
  }
  const file = input[fileKey];
  if (file !== undefined) {
    if (typeof file !== 'string' || file === '') {
      ctx.report([...path, fileKey], 'a file path relative to the config root', describeValue(file));
      return INVALID;
    }
    try {
      const text = readFileSync(resolve(ctx.root, file), 'utf8').trim();
      return { value: schema.fromText(text), ctx: withOrigin(ctx, `${fileKey} ${JSON.stringify(file)}`) };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      ctx.report(
        [...path, fileKey],
        'a readable file (relative to the config root)',
        `${JSON.stringify(file)} (${reason})`,
      );
      return INVALID;
    }
  }
  if (input[key] !== undefined) return { value: input[key], ctx };
  if (typeof envName === 'string') {
    ctx.report(
      [...path, envKey],
      `environment variable ${envName} to be set (no ${key} or ${fileKey} given)`,
      'it unset',
    );
    return INVALID;
  }
  return { value: undefined, ctx };
};

const unknownKeyExpectation = (key: string, known: string[]): string => {
  const closest = known
    .map((name) => ({ name, d: editDistance(key, name) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  const hint = closest === undefined ? '' : ` (did you mean ${closest.name}?)`;
  return known.length === 0 ? 'no keys here' : `one of ${known.join(', ')}${hint}`;
};

export type ObjectCheck<T> = (
  value: T,
  report: (path: KeyPath, expected: string, got?: string) => void,
  ctx: ReadContext,
) => void;

export interface ObjectSchema<F extends Fields> extends Schema<ObjectOutput<F>> {
  readonly fields: F;
}

/**
 * A mapping with known keys. An absent or empty section reads as `{}`, so its defaults apply.
 * Unknown keys are errors. `check` adds rules that span several keys (paths relative to here).
 */
export const object = <F extends Fields>(
  fields: F,
  check?: ObjectCheck<ObjectOutput<F>>,
): ObjectSchema<F> => ({
  fields,
  expected: 'a mapping',
  read(value, path, ctx) {
    const input = value ?? {};
    if (!isRecord(input)) {
      ctx.report(path, 'a mapping (key: value)', describeValue(value));
      return INVALID;
    }
    let valid = true;
    const known = Object.keys(fields);
    for (const key of Object.keys(input)) {
      const suffix = SOURCE_SUFFIXES.find((s) => key.endsWith(s));
      const base = suffix === undefined ? undefined : fields[key.slice(0, -suffix.length)];
      if (key in fields || (base !== undefined && isScalar(base))) continue;
      ctx.report([...path, key], unknownKeyExpectation(key, known), 'an unknown key');
      valid = false;
    }
    const output: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(fields)) {
      const sourced: Sourced = isScalar(schema)
        ? readSourced(input, key, schema, path, ctx)
        : { value: input[key], ctx };
      const result = sourced === INVALID ? INVALID : schema.read(sourced.value, [...path, key], sourced.ctx);
      if (result === INVALID) valid = false;
      else output[schema.outputKey ?? camelCase(key)] = result;
    }
    if (!valid) return INVALID;
    const typed = output as ObjectOutput<F>;
    if (check !== undefined) {
      let checked = true;
      check(
        typed,
        (at, expected, got) => {
          checked = false;
          ctx.report([...path, ...at], expected, got);
        },
        ctx,
      );
      if (!checked) return INVALID;
    }
    return typed;
  },
});

export interface ListRules<T> {
  /** Fewest items. */
  min?: number;
  /** When the key is absent. Without it the key is required. */
  default?: T[];
  /** Items must be distinct (after conversion). */
  unique?: boolean;
}

export const list = <T>(item: Schema<T>, rules: ListRules<T> = {}): Schema<T[]> => {
  const min = rules.min ?? 0;
  const expected = min > 0 ? `a list of at least ${min} × ${item.expected}` : `a list of ${item.expected}`;
  return {
    expected,
    read(value, path, ctx) {
      if (value === undefined && rules.default !== undefined) return [...rules.default];
      if (!Array.isArray(value) || value.length < min) {
        ctx.report(path, expected, Array.isArray(value) ? `${value.length} items` : describeValue(value));
        return INVALID;
      }
      const items = value.map((v, i) => item.read(v, [...path, i], ctx));
      if (items.some((v) => v === INVALID)) return INVALID;
      const valid = items as T[];
      if (rules.unique === true) {
        const seen = new Set<T>();
        let unique = true;
        valid.forEach((v, i) => {
          if (seen.has(v)) {
            ctx.report([...path, i], 'no repeated items', `a repeat of ${describeValue(v)}`);
            unique = false;
          }
          seen.add(v);
        });
        if (!unique) return INVALID;
      }
      return valid;
    },
  };
};

type TaggedOutput<K extends string, V extends Record<string, ObjectSchema<Fields>>> = {
  [N in keyof V & string]: { [P in K]: N } & OutputOf<V[N]>;
}[keyof V & string];

/**
 * A mapping whose `tag` key picks one of several shapes, e.g. `transport: { kind: nats, servers: [...] }`.
 */
export const tagged = <K extends string, V extends Record<string, ObjectSchema<Fields>>>(
  tag: K,
  variants: V,
  rules: { default?: TaggedOutput<K, V> } = {},
): Schema<TaggedOutput<K, V>> => {
  const names = Object.keys(variants);
  const tagExpected = `one of ${names.join(', ')}`;
  const expected = `a mapping with ${tag}: ${names.join(' | ')}`;
  return {
    expected,
    read(value, path, ctx) {
      if (value === undefined && rules.default !== undefined) return { ...rules.default };
      if (!isRecord(value)) {
        ctx.report(path, expected, describeValue(value));
        return INVALID;
      }
      const { [tag]: name, ...rest } = value;
      if (typeof name !== 'string' || !(name in variants)) {
        ctx.report([...path, tag], tagExpected, describeValue(name));
        return INVALID;
      }
      const body = variants[name].read(rest, path, ctx);
      return body === INVALID ? INVALID : ({ [tag]: name, ...body } as TaggedOutput<K, V>);
    },
  };
};

/**
 * A mapping whose keys are names the file chooses (e.g. table names), each value read by
 * `value`. Keys are kept as written (no camelCase): they name things outside the config.
 */
export const dictionary = <T>(
  value: Schema<T>,
  key: { pattern: RegExp; format: string },
  rules: { default?: Record<string, T> } = {},
): Schema<Record<string, T>> => ({
  expected: `a mapping of ${key.format} to ${value.expected}`,
  read(input, path, ctx) {
    if (input === undefined && rules.default !== undefined) return { ...rules.default };
    if (!isRecord(input)) {
      ctx.report(path, `a mapping of ${key.format} to ${value.expected}`, describeValue(input));
      return INVALID;
    }
    let valid = true;
    const output: Record<string, T> = {};
    for (const [name, item] of Object.entries(input)) {
      if (!key.pattern.test(name)) {
        ctx.report([...path, name], key.format, 'this key');
        valid = false;
        continue;
      }
      const read = value.read(item, [...path, name], ctx);
      if (read === INVALID) valid = false;
      else output[name] = read;
    }
    return valid ? output : INVALID;
  },
});

/** A section that may be left out (or `null`): reads as `null` then, else as `schema`. */
export const optionalSection = <T>(schema: Schema<T>): Schema<T | null> => ({
  expected: `${schema.expected}, or nothing`,
  read: (value, path, ctx) => (value === undefined || value === null ? null : schema.read(value, path, ctx)),
});
