import { Injectable } from '@nestjs/common';
import { SogomsError, ok, type SuccessEnvelope } from '@sogoms/common';
import { DbClient } from '../ipc/db.client.js';

const PING_TIMEOUT_MS = 1000;

export type DependencyState = 'ok' | 'down';

export interface Readiness {
  status: 'ok';
  dependencies: Record<string, DependencyState>;
}

/**
 * What a proxy or an orchestrator asks: `live` (this process serves: restart it if not) and
 * `ready` (its dependencies answer: send it traffic). The logs service is not one: the gateway
 * serves without it (its entries wait in the IPC client and are dropped past its limit).
 */
@Injectable()
export class HealthService {
  constructor(private readonly db: DbClient) {}

  live(): SuccessEnvelope<{ status: 'ok' }> {
    return ok({ status: 'ok' });
  }

  async ready(): Promise<SuccessEnvelope<Readiness>> {
    const dependencies: Record<string, DependencyState> = {
      db: (await this.db.ping(PING_TIMEOUT_MS)) ? 'ok' : 'down',
    };
    const down = Object.keys(dependencies).filter((name) => dependencies[name] === 'down');
    if (down.length > 0)
      throw new SogomsError('UNAVAILABLE', `Not ready: ${down.join(', ')} does not answer`, { dependencies });
    return ok({ status: 'ok', dependencies });
  }
}
