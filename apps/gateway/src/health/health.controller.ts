import { Controller, Get, HttpCode } from '@nestjs/common';
import { SogomsError, ok, type SuccessEnvelope } from '@sogoms/common';
import { DbClient } from '../ipc/db.client.js';

const PING_TIMEOUT_MS = 1000;

/** `GET /health` on any host: 200 once the db service answers, 503 before. */
@Controller('health')
export class HealthController {
  constructor(private readonly db: DbClient) {}

  @Get()
  @HttpCode(200)
  async health(): Promise<SuccessEnvelope<{ status: 'ok' }>> {
    if (!(await this.db.ping(PING_TIMEOUT_MS))) {
      throw new SogomsError('UNAVAILABLE', 'The db service does not answer');
    }
    return ok({ status: 'ok' });
  }
}
