import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  MAILER_INBOX_PATTERNS,
  type InboxFolder,
  type InboxMessage,
  type InboxMessageSummary,
} from '@sogoms/ipc';
import { InboxService } from './inbox.service.js';

/** `mailer.inbox.*`: an app's IMAP accounts; payloads are checked by InboxService. */
@Controller()
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @MessagePattern(MAILER_INBOX_PATTERNS.folders)
  folders(@Payload() payload: unknown): Promise<InboxFolder[]> {
    return this.inbox.folders(payload);
  }

  @MessagePattern(MAILER_INBOX_PATTERNS.list)
  list(@Payload() payload: unknown): Promise<InboxMessageSummary[]> {
    return this.inbox.list(payload);
  }

  @MessagePattern(MAILER_INBOX_PATTERNS.fetch)
  fetch(@Payload() payload: unknown): Promise<InboxMessage> {
    return this.inbox.fetch(payload);
  }

  @MessagePattern(MAILER_INBOX_PATTERNS.markRead)
  markRead(@Payload() payload: unknown): Promise<{ uid: number; seen: true }> {
    return this.inbox.markRead(payload);
  }

  @MessagePattern(MAILER_INBOX_PATTERNS.move)
  move(@Payload() payload: unknown): Promise<{ uid: number; folder: string; new_uid: number | null }> {
    return this.inbox.move(payload);
  }

  @MessagePattern(MAILER_INBOX_PATTERNS.delete)
  delete(@Payload() payload: unknown): Promise<{ uid: number; deleted: true }> {
    return this.inbox.delete(payload);
  }
}
