import { Controller, Get, HttpCode } from '@nestjs/common';
import type { SuccessEnvelope } from '@sogoms/common';
import { HealthService, type Readiness } from './health.service.js';

/**
 * On any host: `GET /health` and `/health/ready` answer 200 once every dependency answers (503
 * naming the one that does not), `/health/live` 200 while this process serves.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @HttpCode(200)
  status(): Promise<SuccessEnvelope<Readiness>> {
    return this.health.ready();
  }

  @Get('ready')
  @HttpCode(200)
  ready(): Promise<SuccessEnvelope<Readiness>> {
    return this.health.ready();
  }

  @Get('live')
  @HttpCode(200)
  live(): SuccessEnvelope<{ status: 'ok' }> {
    return this.health.live();
  }
}
