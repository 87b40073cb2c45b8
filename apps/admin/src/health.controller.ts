import { Controller, Get } from '@nestjs/common';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { Public } from './auth/access.decorators.js';

/** The supervisor's health probe (sogoctl.yaml: `health: { kind: http }`). */
@Controller('health')
export class HealthController {
  @Public()
  @Get()
  health(): SuccessEnvelope<{ status: 'ok' }> {
    return ok({ status: 'ok' });
  }
}
