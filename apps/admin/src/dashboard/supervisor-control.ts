import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import { ControlClient, type ReloadResult, type RestartResult, type StatusResult } from '@sogoms/ipc';
import { AdminSettings } from '../admin-settings.js';

const QUICK_MS = 10_000;
/** A restart waits for the graceful stop and for the service to be healthy again. */
const RESTART_MS = 120_000;

/** The supervisor's control socket for the dashboard: status, restart, reload. */
@Injectable()
export class SupervisorControl {
  private readonly client: ControlClient;

  constructor(settings: AdminSettings) {
    this.client = new ControlClient(settings.global.runDir);
  }

  status(): Promise<StatusResult> {
    return this.call({ cmd: 'status' }, QUICK_MS) as Promise<StatusResult>;
  }

  restart(service: string): Promise<RestartResult> {
    return this.call({ cmd: 'restart', service }, RESTART_MS) as Promise<RestartResult>;
  }

  reload(): Promise<ReloadResult> {
    return this.call({ cmd: 'reload' }, QUICK_MS) as Promise<ReloadResult>;
  }

  private async call(request: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const answer = await this.client.send(request, timeoutMs);
    if (answer.kind === 'not_running')
      throw new SogomsError('UNAVAILABLE', `The supervisor is not running (${answer.why}).`);
    if (answer.kind === 'failed') throw new SogomsError('UNAVAILABLE', answer.message);
    const body = answer.body;
    if (isRecord(body) && body.success === true) return body.data;
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    throw new SogomsError(
      error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'BAD_REQUEST',
      typeof error.message === 'string' ? error.message : 'The supervisor refused the request.',
    );
  }
}
