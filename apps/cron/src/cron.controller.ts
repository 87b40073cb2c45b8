import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CRON_PATTERNS, type CronJobInfo, type CronRun } from '@sogoms/ipc';
import { CronService } from './cron.service.js';

/** The cron service's message handlers; payloads are checked by CronService. */
@Controller()
export class CronController {
  constructor(private readonly cron: CronService) {}

  @MessagePattern(CRON_PATTERNS.list)
  list(@Payload() payload: unknown): Promise<CronJobInfo[]> {
    return this.cron.list(payload);
  }

  @MessagePattern(CRON_PATTERNS.trigger)
  trigger(@Payload() payload: unknown): Promise<CronRun> {
    return this.cron.trigger(payload);
  }

  @MessagePattern(CRON_PATTERNS.status)
  status(@Payload() payload: unknown): Promise<CronRun[]> {
    return this.cron.status(payload);
  }

  @MessagePattern(CRON_PATTERNS.pause)
  pause(@Payload() payload: unknown): Promise<CronJobInfo> {
    return this.cron.pause(payload);
  }

  @MessagePattern(CRON_PATTERNS.resume)
  resume(@Payload() payload: unknown): Promise<CronJobInfo> {
    return this.cron.resume(payload);
  }

  @MessagePattern(CRON_PATTERNS.health)
  health(): Promise<{ ok: true }> {
    return this.cron.health();
  }
}
