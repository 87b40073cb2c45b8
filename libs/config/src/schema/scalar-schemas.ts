import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { hostFromHeader, normalizeHost } from '../host-name.js';
import { describeValue, INVALID, type ReadContext, type ScalarSchema } from './config-schema.js';

/** The outcome of checking one present value: the converted value, or what to say was found. */
type Accepted<T> = { value: T } | { got: string };

interface ScalarSpec<T> {
  expected: string;
  secret?: boolean;
  /** When the key is absent. Without it the key is required. */
  default?: T;
  fromText?: (text: string) => unknown;
  accept(value: unknown, ctx: ReadContext): Accepted<T>;
}

const scalar = <T>(spec: ScalarSpec<T>): ScalarSchema<T> => ({
  scalar: true,
  expected: spec.expected,
  secret: spec.secret ?? false,
  fromText: spec.fromText ?? ((text) => text),
  read(value, path, ctx) {
    if (value === undefined) {
      if (spec.default !== undefined) return spec.default;
      ctx.report(path, spec.expected, 'nothing');
      return INVALID;
    }
    const result = spec.accept(value, ctx);
    if ('value' in result) return result.value;
    ctx.report(path, spec.expected, result.got);
    return INVALID;
  },
});

const wrongType = (value: unknown, secret = false): { got: string } => ({
  got:
    typeof value === 'number' || typeof value === 'boolean'
      ? `${describeValue(value)} (quote it to make it a string)`
      : describeValue(value, secret),
});

export interface TextRules {
  /** Fewest characters. Default 1: an empty string is rarely meant. */
  min?: number;
  pattern?: RegExp;
  /** Describes the pattern for people: `an SQL identifier ([A-Za-z_][A-Za-z0-9_]*)`. */
  format?: string;
  secret?: boolean;
  default?: string;
}

export const text = (rules: TextRules = {}): ScalarSchema<string> => {
  const min = rules.min ?? 1;
  const expected =
    rules.format ??
    (min === 0 ? 'a string' : min === 1 ? 'a non-empty string' : `a string of at least ${min} characters`);
  const secret = rules.secret ?? false;
  return scalar<string>({
    expected,
    secret,
    default: rules.default,
    accept(value) {
      if (typeof value !== 'string') return wrongType(value, secret);
      if (value.length < min) {
        return {
          got: secret ? `${value.length} characters` : `${describeValue(value)} (${value.length} characters)`,
        };
      }
      if (rules.pattern !== undefined && !rules.pattern.test(value))
        return { got: describeValue(value, secret) };
      return { value };
    },
  });
};

export interface IntRules {
  min?: number;
  max?: number;
  default?: number;
}

export const int = (rules: IntRules = {}): ScalarSchema<number> => {
  const { min, max } = rules;
  const expected =
    min !== undefined && max !== undefined
      ? `an integer from ${min} to ${max}`
      : min !== undefined
        ? `an integer of at least ${min}`
        : 'an integer';
  return scalar<number>({
    expected,
    default: rules.default,
    fromText: (t) => (/^[+-]?\d+$/.test(t) ? Number(t) : t),
    accept(value) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return { got: describeValue(value) };
      if ((min !== undefined && value < min) || (max !== undefined && value > max))
        return { got: String(value) };
      return { value };
    },
  });
};

const DURATION = /^(\d+)\s*([smhd]?)$/;
const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** A positive duration in seconds: `3600`, `90s`, `15m`, `12h`, `7d`. */
export const durationSeconds = (rules: { default?: number } = {}): ScalarSchema<number> =>
  scalar<number>({
    expected: 'a positive duration: seconds, or a number with s, m, h or d (e.g. 15m, 7d)',
    default: rules.default,
    accept(value) {
      const match =
        typeof value === 'number'
          ? DURATION.exec(String(value))
          : typeof value === 'string'
            ? DURATION.exec(value.trim())
            : null;
      const seconds = match === null ? 0 : Number(match[1]) * UNIT_SECONDS[match[2]];
      return seconds > 0 && Number.isSafeInteger(seconds)
        ? { value: seconds }
        : { got: describeValue(value) };
    },
  });

export const oneOf = <V extends string>(values: readonly V[], rules: { default?: V } = {}): ScalarSchema<V> =>
  scalar<V>({
    expected: `one of ${values.join(', ')}`,
    default: rules.default,
    accept: (value) =>
      typeof value === 'string' && (values as readonly string[]).includes(value)
        ? { value: value as V }
        : { got: describeValue(value) },
  });

/** A host name or IP address without port, stored in canonical form (lower case, no trailing dot). */
export const host = (rules: { default?: string } = {}): ScalarSchema<string> =>
  scalar<string>({
    expected: 'a host name or IP address without port (e.g. app.example.com, 127.0.0.1, [::1])',
    default: rules.default,
    accept(value) {
      if (typeof value !== 'string') return wrongType(value);
      const normalized = normalizeHost(value);
      if (normalized !== undefined) return { value: normalized };
      const withPort = hostFromHeader(value) !== undefined;
      return { got: `${describeValue(value)}${withPort ? ' (a port is not allowed here)' : ''}` };
    },
  });

/** Whether the runtime knows `zone` as an IANA time zone (its ICU data decides). */
export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** An IANA time zone such as Europe/Paris or UTC. */
export const timeZone = (rules: { default?: string } = {}): ScalarSchema<string> =>
  scalar<string>({
    expected: 'an IANA time zone (e.g. Europe/Paris, UTC)',
    default: rules.default,
    accept: (value) =>
      typeof value === 'string' && value !== '' && isTimeZone(value)
        ? { value }
        : { got: describeValue(value) },
  });

/** `true` or `false` (from a file or an environment variable: the words true and false). */
export const bool = (rules: { default?: boolean } = {}): ScalarSchema<boolean> =>
  scalar<boolean>({
    expected: 'true or false',
    default: rules.default,
    fromText: (t) => (t === 'true' ? true : t === 'false' ? false : t),
    accept: (value) => (typeof value === 'boolean' ? { value } : { got: describeValue(value) }),
  });

export interface PathRules {
  /** `root`: relative to the config root; `dir`: relative to the folder of the file being read. */
  base: 'root' | 'dir';
  /** Relative to `base`, when the key is absent. */
  default?: string;
  /** The path must name an existing file (checked at load). */
  existingFile?: boolean;
}

/** A file-system path, returned absolute. */
export const path = (rules: PathRules): ScalarSchema<string> => {
  const relativeTo = rules.base === 'root' ? 'the config root' : 'this file';
  const expected =
    rules.existingFile === true
      ? `an existing file (relative to ${relativeTo})`
      : `a path (relative to ${relativeTo})`;
  const absolute = (value: string, ctx: ReadContext): string =>
    resolve(rules.base === 'root' ? ctx.root : ctx.dir, value);
  const spec: ScalarSpec<string> = {
    expected,
    accept(value, ctx) {
      if (typeof value !== 'string' || value === '') return wrongType(value);
      const full = absolute(value, ctx);
      if (rules.existingFile === true && !isFile(full))
        return { got: `${describeValue(value)} (no such file)` };
      return { value: full };
    },
  };
  const schema = scalar(spec);
  if (rules.default === undefined) return schema;
  const fallback = rules.default;
  return { ...schema, read: (value, at, ctx) => schema.read(value ?? fallback, at, ctx) };
};

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** Also accepts `null` (YAML `~` or an empty value), meaning "none". */
export const nullable = <T>(schema: ScalarSchema<T>): ScalarSchema<T | null> => ({
  ...schema,
  expected: `${schema.expected}, or null`,
  read: (value, at, ctx) => (value === null ? null : schema.read(value, at, ctx)),
});

/** May be left out (or `null`): reads as `null` then. */
export const optional = <T>(schema: ScalarSchema<T>): ScalarSchema<T | null> => ({
  ...schema,
  read: (value, at, ctx) => (value === undefined || value === null ? null : schema.read(value, at, ctx)),
});
