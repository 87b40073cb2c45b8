import type { CompiledSql } from '@sogoms/schema';
import type { SenderLookup } from './sender-lookup.js';

/** A text condition: a case-insensitive substring, or a regular expression (its named groups feed `{group: name}`). */
export type TextMatch = { kind: 'contains'; text: string } | { kind: 'regex'; regex: RegExp };

export interface RuleMatch {
  account: string | null;
  from: TextMatch | null;
  /** Any address of To or Cc. */
  to: TextMatch | null;
  subject: TextMatch | null;
  bodyContains: string | null;
  hasAttachment: boolean | null;
  header: { name: string; value: TextMatch } | null;
}

/** Where a field of a created row gets its value. */
export type ValueSource =
  | { kind: 'part'; part: MessagePart }
  | { kind: 'group'; group: string }
  | { kind: 'value'; value: string | number | boolean | null }
  | { kind: 'sql'; sql: CompiledSql };

export const MESSAGE_PARTS = ['subject', 'text', 'from', 'from_name', 'to', 'date', 'message_id'] as const;
export type MessagePart = (typeof MESSAGE_PARTS)[number];

export type RuleAction =
  | {
      do: 'create_row';
      table: string;
      /** `sender`: the user whose login is the sender's address makes the row (none: the rule does not apply). */
      owner: 'sender' | 'none';
      /** With `owner: sender`: how the sender's user is found (set by the loader). */
      senderLookup: SenderLookup | null;
      /** A unique column that receives the Message-ID: a second try of the same message finds it there (409), never makes a second row. */
      messageIdField: string | null;
      fields: Record<string, ValueSource>;
    }
  | { do: 'webhook'; url: string; secret: string; allowPrivate: boolean }
  | { do: 'move'; folder: string }
  | { do: 'mark_read' }
  | { do: 'reply'; template: string };

export interface MailRule {
  name: string;
  match: RuleMatch;
  actions: RuleAction[];
  /** Go on with the next rules after this one matched. Default false: first match wins. */
  continueAfter: boolean;
}
