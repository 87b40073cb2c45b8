import type { ParsedMail } from 'mailparser';
import type { MailRule, TextMatch } from './mail-rule.js';

/** What a rule reads of one message, taken once. */
export interface IncomingMail {
  account: string;
  /** Where the message is: `{account}/{folder}/{UIDVALIDITY}/{UID}` (its identity without a Message-ID). */
  imapId: string;
  messageId: string | null;
  from: string | null;
  fromName: string | null;
  /** To and Cc, lower-cased. */
  recipients: string[];
  subject: string;
  text: string;
  date: Date | null;
  hasAttachment: boolean;
  /** Header names lower-cased; values as text. */
  headers: Map<string, string>;
}

const addressesOf = (value: ParsedMail['to']): { address: string; name: string }[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((group) =>
    group.value.flatMap((entry) =>
      entry.address === undefined ? [] : [{ address: entry.address.toLowerCase(), name: entry.name }],
    ),
  );

const headerText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'object' && value !== null && 'text' in value
      ? String(value.text)
      : typeof value === 'object' && value !== null && 'value' in value
        ? String(value.value)
        : String(value);

/** A message's place on the IMAP server: account, folder, UIDVALIDITY and UID. */
export interface MessagePlace {
  account: string;
  folder: string;
  uidValidity: number;
  uid: number;
}

export const incomingMail = (place: MessagePlace, mail: ParsedMail): IncomingMail => {
  const from = addressesOf(mail.from)[0];
  const headers = new Map<string, string>();
  for (const [name, value] of mail.headers) headers.set(name.toLowerCase(), headerText(value));
  return {
    account: place.account,
    imapId: `${place.account}/${place.folder}/${place.uidValidity}/${place.uid}`,
    messageId: mail.messageId ?? null,
    from: from?.address ?? null,
    fromName: from === undefined || from.name === '' ? null : from.name,
    recipients: [...addressesOf(mail.to), ...addressesOf(mail.cc)].map((a) => a.address),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    date: mail.date ?? null,
    hasAttachment: mail.attachments.length > 0,
    headers,
  };
};

/** Matches one text; the named groups of a regular expression are added to `groups`. */
const matches = (
  condition: TextMatch | null,
  values: readonly string[],
  groups: Record<string, string>,
): boolean => {
  if (condition === null) return true;
  for (const value of values) {
    if (condition.kind === 'contains') {
      if (value.toLowerCase().includes(condition.text)) return true;
      continue;
    }
    const found = condition.regex.exec(value);
    if (found !== null) {
      Object.assign(groups, found.groups ?? {});
      return true;
    }
  }
  return false;
};

/** The rule's named groups when every condition holds, else null. */
export const matchRule = (rule: MailRule, mail: IncomingMail): Record<string, string> | null => {
  const m = rule.match;
  const groups: Record<string, string> = {};
  if (m.account !== null && m.account !== mail.account) return null;
  if (!matches(m.from, mail.from === null ? [] : [mail.from], groups)) return null;
  if (!matches(m.to, mail.recipients, groups)) return null;
  if (!matches(m.subject, [mail.subject], groups)) return null;
  if (m.bodyContains !== null && !mail.text.toLowerCase().includes(m.bodyContains)) return null;
  if (m.hasAttachment !== null && m.hasAttachment !== mail.hasAttachment) return null;
  if (m.header !== null) {
    const value = mail.headers.get(m.header.name);
    if (value === undefined || !matches(m.header.value, [value], groups)) return null;
  }
  return groups;
};
