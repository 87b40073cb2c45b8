import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, readConfigFile, type AppConfig, type ConfigScope, type OutputOf } from '@sogoms/config';
import { loadSchemaFile, type SchemaDef } from '@sogoms/schema';
import type { MailRule, RuleAction } from './mail-rule.js';
import { mailRulesSchema } from './mail-rules.schema.js';
import { senderLookupOf, type SenderLookup } from './sender-lookup.js';

export const MAIL_RULES_FILE = 'mailrules.yaml';

type ReadRules = OutputOf<typeof mailRulesSchema>;

const writableFields = (schema: SchemaDef, table: string): Set<string> | null => {
  const def = schema.tables.find((t) => t.name === table && !t.view);
  if (def === undefined) return null;
  return new Set(
    def.fields
      .filter((f) => f.auto !== true && f.readonly !== true && f.hidden !== true && f.auth !== 'password')
      .map((f) => f.name),
  );
};

/**
 * Reads an app's mailrules.yaml (none: no rules) and checks it against the app: accounts of
 * imap:, tables and writable fields of schema.yaml, templates of emails/, smtp: for replies.
 * Every problem is reported with file, line and key; one ConfigError carries them all.
 */
export const loadMailRules = (
  app: AppConfig,
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): MailRule[] => {
  const file = join(app.dir, MAIL_RULES_FILE);
  if (!existsSync(file)) return [];
  const scope: ConfigScope = { root, env, problems: [] };
  const read = readConfigFile(file, mailRulesSchema, scope);
  const value: ReadRules | undefined = read.value;
  // One per app, made at the first rule with owner: sender (reads the keys of an encrypted login).
  let sender: SenderLookup | { problem: string } | undefined;
  if (value !== undefined) {
    const accounts = new Set((app.imap?.accounts ?? []).map((a) => a.name));
    if (app.imap === null && value.rules.length > 0)
      read.report(['rules'], 'an imap: section in app.yaml to read the mail from', 'none');
    const schema = value.rules.some((r) => r.actions.some((a) => a.do === 'create_row'))
      ? loadSchemaFile(app.dir, dirname(root))
      : null;
    const names = new Set<string>();
    value.rules.forEach((rule, r) => {
      if (names.has(rule.name)) read.report(['rules', r, 'name'], 'rules with distinct names', rule.name);
      names.add(rule.name);
      if (rule.match.header !== null && rule.match.header.value === null)
        read.report(
          ['rules', r, 'match', 'header', 'value'],
          'the text or {regex} the header must match',
          'nothing',
        );
      if (rule.match.account !== null && !accounts.has(rule.match.account))
        read.report(
          ['rules', r, 'match', 'account'],
          `an account of app.yaml imap: (${[...accounts].join(', ')})`,
          rule.match.account,
        );
      const groups = new Set(
        [rule.match.from, rule.match.to, rule.match.subject, rule.match.header?.value ?? null].flatMap((m) =>
          m?.kind === 'regex'
            ? [...m.regex.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((g) => g[1])
            : [],
        ),
      );
      rule.actions.forEach((action, a) => {
        const at = ['rules', r, 'actions', a];
        if (action.do === 'reply') {
          if (app.smtp === null)
            read.report([...at, 'do'], 'an smtp: section in app.yaml to reply with', 'none');
          if (!existsSync(join(app.dir, 'emails', `${action.template}.yaml`)))
            read.report(
              [...at, 'template'],
              `a template file emails/${action.template}.yaml`,
              'no such file',
            );
        }
        if (action.do !== 'create_row') return;
        if (schema === null) {
          read.report([...at, 'table'], 'a schema.yaml that declares the table', 'no schema.yaml');
          return;
        }
        const fields = writableFields(schema, action.table);
        const table = schema.tables.find((t) => t.name === action.table);
        if (fields === null || table === undefined) {
          read.report(
            [...at, 'table'],
            `a table of schema.yaml (${schema.tables.map((t) => t.name).join(', ')})`,
            action.table,
          );
          return;
        }
        if (action.owner === 'sender') {
          sender ??= senderLookupOf(app, schema);
          if ('problem' in sender)
            read.report([...at, 'owner'], 'a login field the sender can be looked up by', sender.problem);
        }
        if (table.filter === 'owner' && action.owner !== 'sender')
          read.report(
            [...at, 'owner'],
            `sender (${action.table} is owner-filtered: each row belongs to a user)`,
            action.owner,
          );
        for (const [field, source] of Object.entries(action.fields)) {
          if (table.filter === 'owner' && field === table.ownerField)
            read.report([...at, 'fields', field], `no ${field}: owner: sender sets it`, 'a mapping');
          else if (!fields.has(field))
            read.report([...at, 'fields', field], `a writable field of ${action.table}`, field);
          if (source.kind === 'group' && !groups.has(source.group))
            read.report(
              [...at, 'fields', field, 'group'],
              "a named group (?<name>…) of this rule's match",
              source.group,
            );
        }
        if (action.messageIdField !== null && !fields.has(action.messageIdField))
          read.report(
            [...at, 'message_id_field'],
            `a writable field of ${action.table} with a unique index`,
            action.messageIdField,
          );
      });
    });
  }
  if (scope.problems.length > 0) throw new ConfigError(scope.problems);
  const senderLookup = sender === undefined || 'problem' in sender ? null : sender;
  return (value?.rules ?? []).map((rule): MailRule => ({
    name: rule.name,
    match: {
      account: rule.match.account,
      from: rule.match.from,
      to: rule.match.to,
      subject: rule.match.subject,
      bodyContains: rule.match.bodyContains === null ? null : rule.match.bodyContains.toLowerCase(),
      hasAttachment: rule.match.hasAttachment,
      header:
        rule.match.header === null || rule.match.header.value === null
          ? null
          : { name: rule.match.header.name.toLowerCase(), value: rule.match.header.value },
    },
    actions: rule.actions.map((action) =>
      action.do === 'create_row'
        ? { ...action, senderLookup: action.owner === 'sender' ? senderLookup : null }
        : action,
    ) as RuleAction[],
    continueAfter: rule.continue,
  }));
};
