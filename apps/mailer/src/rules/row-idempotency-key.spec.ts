import { createHash } from 'node:crypto';
import { idempotencyKeyProblem } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import type { IncomingMail } from './rule-matcher.js';
import { rowIdempotencyKey } from './row-idempotency-key.js';

const mail = (messageId: string | null): IncomingMail => ({
  account: 'tasks',
  imapId: 'tasks/INBOX/1700000000/42',
  messageId,
  from: 'ann@example.test',
  fromName: null,
  recipients: ['tasks@prokov.localhost'],
  subject: 'Hello',
  text: '',
  date: null,
  hasAttachment: false,
  headers: new Map(),
});

describe('the Idempotency-Key of a create_row', () => {
  it('is mail:{app}:{rule}:{Message-ID}, or the IMAP place without one', () => {
    expect(rowIdempotencyKey('prokov', 'task-by-mail', 1, mail('<a1@example.test>'))).toBe(
      'mail:prokov:task-by-mail:<a1@example.test>',
    );
    expect(rowIdempotencyKey('prokov', 'task-by-mail', 1, mail(null))).toBe(
      'mail:prokov:task-by-mail:tasks/INBOX/1700000000/42',
    );
  });

  it("tells a rule's second create_row on the same table from its first", () => {
    expect(rowIdempotencyKey('prokov', 'copy', 2, mail('<a1@example.test>'))).toBe(
      'mail:prokov:copy#2:<a1@example.test>',
    );
  });

  it('hashes a Message-ID the header cannot carry (too long, not ASCII), and is always a valid key', () => {
    for (const id of [`<${'x'.repeat(300)}@example.test>`, '<grüße@example.test>', '<tab\there@x>']) {
      const key = rowIdempotencyKey('prokov', 'task-by-mail', 1, mail(id));
      expect(key).toBe(`mail:prokov:task-by-mail:sha256:${createHash('sha256').update(id).digest('hex')}`);
      expect(idempotencyKeyProblem(key)).toBeNull();
    }
  });
});
