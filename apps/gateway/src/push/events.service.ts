import { Injectable } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { PushEventsPage } from '@sogoms/ipc';
import { PushClient } from '../ipc/push.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';

const INTEGER = /^\d{1,15}$/;

const integerParam = (query: Record<string, unknown>, name: string): number | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !INTEGER.test(value))
    throw new SogomsError('VALIDATION_FAILED', 'Invalid query parameters', {
      [name]: [`${name} must be a non-negative integer`],
    });
  return Number(value);
};

/**
 * `GET {base}/_events?since=&limit=`: what the caller may have missed, from the push service's
 * outbox; only the caller's own events and the app's broadcasts (the owner rule of the topics).
 */
@Injectable()
export class EventsService {
  constructor(private readonly push: PushClient) {}

  async after(app: AppRuntime, caller: TokenClaims, query: Record<string, unknown>): Promise<PushEventsPage> {
    if (app.config.push === null)
      throw new SogomsError('NOT_FOUND', 'This app publishes no events (no push: in app.yaml)');
    const since = integerParam(query, 'since');
    const limit = integerParam(query, 'limit');
    if (limit !== undefined && (limit < 1 || limit > 1000))
      throw new SogomsError('VALIDATION_FAILED', 'Invalid query parameters', {
        limit: ['limit must be 1 to 1000'],
      });
    return this.push.events({
      app: app.config.name,
      user: caller.sub,
      ...(since === undefined ? {} : { since }),
      ...(limit === undefined ? {} : { limit }),
    });
  }
}
