import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { LOGS_PATTERNS } from '@sogoms/ipc';
import { LogsService } from './logs.service.js';

/** Events only (emit, no reply): a logs outage never slows a request. */
@Controller()
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @EventPattern(LOGS_PATTERNS.error)
  error(@Payload() entry: unknown): void {
    this.logs.record('error', entry);
  }

  @EventPattern(LOGS_PATTERNS.event)
  event(@Payload() entry: unknown): void {
    this.logs.record('event', entry);
  }
}
