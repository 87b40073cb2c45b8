import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { LOGS_PATTERNS, type LogPage } from '@sogoms/ipc';
import { LogReader } from './log-reader.js';
import { LogsService } from './logs.service.js';

/** Writes are events (emit, no reply): a logs outage never slows a request. Reads answer. */
@Controller()
export class LogsController {
  constructor(
    private readonly logs: LogsService,
    private readonly reader: LogReader,
  ) {}

  @EventPattern(LOGS_PATTERNS.error)
  error(@Payload() entry: unknown): void {
    this.logs.record('error', entry);
  }

  @EventPattern(LOGS_PATTERNS.event)
  event(@Payload() entry: unknown): void {
    this.logs.record('event', entry);
  }

  @MessagePattern(LOGS_PATTERNS.query)
  query(@Payload() query: unknown): Promise<LogPage> {
    return this.reader.query(query);
  }
}
