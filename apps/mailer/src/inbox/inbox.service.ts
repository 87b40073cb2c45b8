import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { InboxFolder, InboxMessage, InboxMessageSummary } from '@sogoms/ipc';
import type { FetchMessageObject, ImapFlow, MessageAddressObject } from 'imapflow';
import { payloadOf } from '../message/send-request.parser.js';
import { MailerSettings } from '../mailer-settings.js';
import { attachmentIndexOf, folderOf, listFiltersOf, uidOf } from './inbox-request.parser.js';
import { withImapSession } from './imap-session.js';

const address = (entry: MessageAddressObject | undefined): string | null =>
  entry?.address === undefined ? null : entry.address.toLowerCase();

const dateText = (value: Date | string | undefined): string | null => {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

const summaryOf = (message: FetchMessageObject): InboxMessageSummary => ({
  uid: message.uid,
  message_id: message.envelope?.messageId ?? null,
  from: address(message.envelope?.from?.[0]),
  to: (message.envelope?.to ?? []).flatMap((entry) => address(entry) ?? []),
  subject: message.envelope?.subject ?? null,
  date: dateText(message.envelope?.date),
  seen: message.flags?.has('\\Seen') ?? false,
  size: message.size ?? 0,
});

/**
 * Opens `folder` for the work; NOT_FOUND when the server has no such folder (any other failure
 * is the server's: UNAVAILABLE through withImapSession's caller).
 */
const inFolder = async <T>(client: ImapFlow, folder: string, work: () => Promise<T>): Promise<T> => {
  let lock;
  try {
    lock = await client.getMailboxLock(folder);
  } catch {
    throw new SogomsError('NOT_FOUND', `There is no folder '${folder}'`, { field: 'folder' });
  }
  try {
    return await work();
  } finally {
    lock.release();
  }
};

const noSuchMessage = (uid: number, folder: string): SogomsError =>
  new SogomsError('NOT_FOUND', `There is no message ${uid} in '${folder}'`, { field: 'uid' });

/** The operator's and the other services' actions on an app's IMAP accounts (`mailer.inbox.*`). */
@Injectable()
export class InboxService {
  constructor(private readonly settings: MailerSettings) {}

  private session<T>(
    payload: unknown,
    work: (client: ImapFlow, request: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    const request = payloadOf(payload);
    const { app, account } = this.settings.imapAccount(request.app, request.account);
    return withImapSession(app.name, account, (client) => work(client, request));
  }

  folders(payload: unknown): Promise<InboxFolder[]> {
    return this.session(payload, async (client) => {
      const folders = await client.list({ statusQuery: { messages: true, unseen: true } });
      return folders.map((folder) => ({
        path: folder.path,
        special_use: folder.specialUse ?? null,
        messages: folder.status?.messages ?? 0,
        unseen: folder.status?.unseen ?? 0,
      }));
    });
  }

  list(payload: unknown): Promise<InboxMessageSummary[]> {
    return this.session(payload, async (client, request) => {
      const filters = listFiltersOf(request);
      return inFolder(client, filters.folder, async () => {
        const found = await client.search(
          {
            ...(filters.unseenOnly ? { seen: false } : {}),
            ...(filters.from === undefined ? {} : { from: filters.from }),
            ...(filters.subject === undefined ? {} : { subject: filters.subject }),
            ...(filters.since === undefined ? {} : { since: filters.since }),
          },
          { uid: true },
        );
        const uids = (found === false || found === undefined ? [] : found)
          .sort((a, b) => b - a)
          .slice(filters.offset, filters.offset + filters.limit);
        if (uids.length === 0) return [];
        const messages = await client.fetchAll(
          uids.join(','),
          { envelope: true, flags: true, size: true },
          { uid: true },
        );
        return messages.map(summaryOf).sort((a, b) => b.uid - a.uid);
      });
    });
  }

  fetch(payload: unknown): Promise<InboxMessage> {
    return this.session(payload, async (client, request) => {
      const folder = folderOf(request.folder);
      const uid = uidOf(request.uid);
      const attachment = attachmentIndexOf(request.attachment);
      return inFolder(client, folder, async () => {
        const message = await client.fetchOne(
          String(uid),
          { source: true, flags: true, size: true },
          { uid: true },
        );
        if (message === false || message.source === undefined) throw noSuchMessage(uid, folder);
        const { simpleParser } = await import('mailparser');
        const parsed = await simpleParser(message.source);
        const { messageView } = await import('./message-view.js');
        return messageView(
          uid,
          message.flags?.has('\\Seen') ?? false,
          message.size ?? message.source.length,
          parsed,
          attachment,
        );
      });
    });
  }

  markRead(payload: unknown): Promise<{ uid: number; seen: true }> {
    return this.onOneMessage(payload, async (client, uid) => {
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      return { uid, seen: true as const };
    });
  }

  move(payload: unknown): Promise<{ uid: number; folder: string; new_uid: number | null }> {
    return this.onOneMessage(payload, async (client, uid, request) => {
      const to = folderOf(request.to, 'to');
      const moved = await client.messageMove(String(uid), to, { uid: true });
      if (moved === false) throw new SogomsError('NOT_FOUND', `There is no folder '${to}'`, { field: 'to' });
      return { uid, folder: to, new_uid: moved.uidMap?.get(uid) ?? null };
    });
  }

  delete(payload: unknown): Promise<{ uid: number; deleted: true }> {
    return this.onOneMessage(payload, async (client, uid) => {
      await client.messageDelete(String(uid), { uid: true });
      return { uid, deleted: true as const };
    });
  }

  /** Opens the folder, checks the message is there, then acts on it. */
  private onOneMessage<T>(
    payload: unknown,
    act: (client: ImapFlow, uid: number, request: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    return this.session(payload, async (client, request) => {
      const folder = folderOf(request.folder);
      const uid = uidOf(request.uid);
      return inFolder(client, folder, async () => {
        const found = await client.search({ uid: String(uid) }, { uid: true });
        if (found === false || found === undefined || !found.includes(uid)) throw noSuchMessage(uid, folder);
        return act(client, uid, request);
      });
    });
  }
}
