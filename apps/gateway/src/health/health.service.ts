import { Inject, Injectable } from '@nestjs/common';
import { SogomsError, ok, type SuccessEnvelope } from '@sogoms/common';
import { IpcClient, ipcClientToken } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';

const PING_TIMEOUT_MS = 1000;

export type DependencyState = 'ok' | 'down';

export interface Readiness {
  /** `degraded`: every required dependency answers, an optional one does not. */
  status: 'ok' | 'degraded';
  dependencies: Record<string, DependencyState>;
}

const within = (work: Promise<unknown>, ms: number): Promise<DependencyState> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve('down'), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve('ok');
      },
      () => {
        clearTimeout(timer);
        resolve('down');
      },
    );
  });

/**
 * What a proxy or an orchestrator asks: `live` (this process serves: restart it if not) and
 * `ready` (its dependencies answer: send it traffic). Only db is required; logs and mailer are
 * reported but optional: the gateway serves without them (log entries are dropped and counted,
 * a welcome mail fails alone), so their absence is `degraded`, not a 503.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: DbClient,
    @Inject(ipcClientToken('logs')) private readonly logs: IpcClient,
    @Inject(ipcClientToken('mailer')) private readonly mailer: IpcClient,
  ) {}

  live(): SuccessEnvelope<{ status: 'ok' }> {
    return ok({ status: 'ok' });
  }

  async ready(): Promise<SuccessEnvelope<Readiness>> {
    const [db, logs, mailer] = await Promise.all([
      this.db.ping(PING_TIMEOUT_MS).then((answered) => (answered ? 'ok' : 'down')),
      within(this.logs.connect(), PING_TIMEOUT_MS),
      within(this.mailer.connect(), PING_TIMEOUT_MS),
    ]);
    const dependencies: Record<string, DependencyState> = { db, logs, mailer };
    if (db === 'down')
      throw new SogomsError('UNAVAILABLE', 'Not ready: db does not answer', { dependencies });
    return ok({ status: logs === 'ok' && mailer === 'ok' ? 'ok' : 'degraded', dependencies });
  }
}
