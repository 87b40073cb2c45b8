import { isRecord } from '@sogoms/common';
import {
  bool,
  describeValue,
  INVALID,
  list,
  object,
  optional,
  optionalSection,
  tagged,
  text,
  type Schema,
} from '@sogoms/config';
import { compileNamedSql } from '@sogoms/schema';
import { MESSAGE_PARTS, type MessagePart, type TextMatch, type ValueSource } from './mail-rule.js';

const TEXT_MATCH_EXPECTED = 'a text (matched case-insensitively anywhere) or {regex: "..."}';

/** A string, or `{regex}` compiled case-insensitively; absent: null (no condition). */
const textMatch: Schema<TextMatch | null> = {
  expected: TEXT_MATCH_EXPECTED,
  read(value, path, ctx) {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value !== '') return { kind: 'contains', text: value.toLowerCase() };
    if (isRecord(value) && typeof value.regex === 'string' && Object.keys(value).length === 1) {
      try {
        return { kind: 'regex', regex: new RegExp(value.regex, 'iu') };
      } catch (error) {
        ctx.report([...path, 'regex'], 'a valid regular expression', (error as Error).message);
        return INVALID;
      }
    }
    ctx.report(path, TEXT_MATCH_EXPECTED, describeValue(value));
    return INVALID;
  },
};

const SOURCE_EXPECTED = `one of ${MESSAGE_PARTS.join(', ')}, or {group: name}, {value: x} or {sql: "SELECT …"}`;

/** Where one field of a created row comes from. */
const valueSource: Schema<ValueSource> = {
  expected: SOURCE_EXPECTED,
  read(value, path, ctx) {
    if (typeof value === 'string' && (MESSAGE_PARTS as readonly string[]).includes(value))
      return { kind: 'part', part: value as MessagePart };
    if (isRecord(value) && Object.keys(value).length === 1) {
      if (typeof value.group === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.group))
        return { kind: 'group', group: value.group };
      if ('value' in value) {
        const literal = value.value;
        if (literal === null || ['string', 'number', 'boolean'].includes(typeof literal))
          return { kind: 'value', value: literal as string | number | boolean | null };
      }
      if (typeof value.sql === 'string') {
        if (!/^\s*select\b/i.test(value.sql)) {
          ctx.report(
            [...path, 'sql'],
            'a SELECT statement whose first column is the value',
            'another statement',
          );
          return INVALID;
        }
        try {
          return { kind: 'sql', sql: compileNamedSql(value.sql) };
        } catch (error) {
          ctx.report(
            [...path, 'sql'],
            'SQL with :name placeholders (:owner, :from, :subject)',
            (error as Error).message,
          );
          return INVALID;
        }
      }
    }
    ctx.report(path, SOURCE_EXPECTED, describeValue(value));
    return INVALID;
  },
};

/** A mapping of field name → source. */
const fieldSources: Schema<Record<string, ValueSource>> = {
  expected: 'a mapping of field names to sources',
  read(value, path, ctx) {
    if (!isRecord(value) || Object.keys(value).length === 0) {
      ctx.report(path, 'a mapping of field names to sources (at least one)', describeValue(value));
      return INVALID;
    }
    const out: Record<string, ValueSource> = {};
    let valid = true;
    for (const [field, source] of Object.entries(value)) {
      const read = valueSource.read(source, [...path, field], ctx);
      if (read === INVALID) valid = false;
      else out[field] = read;
    }
    return valid ? out : INVALID;
  },
};

const IDENTIFIER = { pattern: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/, format: 'a table or field name' };
const FOLDER = { pattern: /^[^\r\n\0*%]{1,200}$/, format: 'a folder name (no line break, * or %)' };

const action = tagged('do', {
  create_row: object({
    table: text(IDENTIFIER),
    owner: text({ pattern: /^(sender|none)$/, format: 'sender or none', default: 'sender' }),
    message_id_field: optional(text(IDENTIFIER)),
    fields: fieldSources,
  }),
  webhook: object({
    url: text({ pattern: /^https?:\/\/[^\s]+$/, format: 'an http(s) URL' }),
    // Signs the body (HMAC-SHA256); usually `secret_file: secrets/….key`.
    secret: text({ min: 16, secret: true }),
    allow_private: bool({ default: false }),
  }),
  move: object({ folder: text(FOLDER) }),
  mark_read: object({}),
  reply: object({
    template: text({ pattern: /^[a-z0-9][a-z0-9_-]*$/i, format: 'a template name of emails/' }),
  }),
});

const rule = object({
  name: text({ pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/i, format: 'a rule name ([a-z0-9_-], at most 64)' }),
  match: object({
    account: optional(
      text({ pattern: /^[a-z][a-z0-9_-]{0,31}$/, format: 'an account name of app.yaml imap:' }),
    ),
    from: textMatch,
    to: textMatch,
    subject: textMatch,
    body_contains: optional(text()),
    has_attachment: optionalSection(bool()),
    header: optionalSection(
      object({ name: text({ pattern: /^[A-Za-z0-9-]{1,76}$/, format: 'a header name' }), value: textMatch }),
    ),
  }),
  actions: list(action, { min: 1 }),
  continue: bool({ default: false }),
});

/** config/apps/{app}/mailrules.yaml. */
export const mailRulesSchema = object({ rules: list(rule, { default: [] }) });
