import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  MAILER_PATTERNS,
  type MailBulkQueued,
  type MailMessageStatus,
  type MailQueued,
  type RenderedMail,
} from '@sogoms/ipc';
import { MailerService } from './mailer.service.js';

/** The mailer's message handlers; payloads are checked by MailerService. */
@Controller()
export class MailerController {
  constructor(private readonly mailer: MailerService) {}

  @MessagePattern(MAILER_PATTERNS.send)
  send(@Payload() payload: unknown): Promise<MailQueued> {
    return this.mailer.send(payload);
  }

  @MessagePattern(MAILER_PATTERNS.sendTemplate)
  sendTemplate(@Payload() payload: unknown): Promise<MailQueued> {
    return this.mailer.sendTemplate(payload);
  }

  @MessagePattern(MAILER_PATTERNS.sendBulk)
  sendBulk(@Payload() payload: unknown): Promise<MailBulkQueued> {
    return this.mailer.sendBulk(payload);
  }

  @MessagePattern(MAILER_PATTERNS.preview)
  preview(@Payload() payload: unknown): RenderedMail {
    return this.mailer.preview(payload);
  }

  @MessagePattern(MAILER_PATTERNS.status)
  status(@Payload() payload: unknown): Promise<MailMessageStatus> {
    return this.mailer.status(payload);
  }

  @MessagePattern(MAILER_PATTERNS.list)
  list(@Payload() payload: unknown): Promise<MailMessageStatus[]> {
    return this.mailer.list(payload);
  }

  @MessagePattern(MAILER_PATTERNS.retry)
  retry(@Payload() payload: unknown): Promise<MailMessageStatus> {
    return this.mailer.retry(payload);
  }

  @MessagePattern(MAILER_PATTERNS.cancel)
  cancel(@Payload() payload: unknown): Promise<MailMessageStatus> {
    return this.mailer.cancel(payload);
  }

  @MessagePattern(MAILER_PATTERNS.health)
  health(): Promise<{ ok: true }> {
    return this.mailer.health();
  }
}
