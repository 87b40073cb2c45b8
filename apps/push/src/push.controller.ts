import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { PUSH_PATTERNS, type PushEventsPage, type PushPublished } from '@sogoms/ipc';
import { PushService } from './push.service.js';

/** The push service's message handlers; payloads are checked by PushService. */
@Controller()
export class PushController {
  constructor(private readonly push: PushService) {}

  @EventPattern(PUSH_PATTERNS.crudEvent)
  crudEvent(@Payload() payload: unknown): void {
    this.push.crudEvent(payload);
  }

  @MessagePattern(PUSH_PATTERNS.publish)
  publish(@Payload() payload: unknown): Promise<PushPublished> {
    return this.push.publish(payload);
  }

  @MessagePattern(PUSH_PATTERNS.notifyUser)
  notifyUser(@Payload() payload: unknown): Promise<PushPublished> {
    return this.push.notifyUser(payload);
  }

  @MessagePattern(PUSH_PATTERNS.broadcast)
  broadcast(@Payload() payload: unknown): Promise<PushPublished> {
    return this.push.broadcast(payload);
  }

  @MessagePattern(PUSH_PATTERNS.events)
  events(@Payload() payload: unknown): Promise<PushEventsPage> {
    return this.push.events(payload);
  }

  @MessagePattern(PUSH_PATTERNS.health)
  health(): { ok: true; broker: 'embedded' | 'external' } {
    return this.push.health();
  }
}
