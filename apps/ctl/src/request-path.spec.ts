import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '@sogoms/config';
import { requestPath } from './request-path.js';

const spec = (name: string, dependsOn: string[] = [], kind: 'socket' | 'http' = 'socket'): ServiceSpec => ({
  name,
  entry: `/srv/${name}.js`,
  dependsOn,
  health:
    kind === 'socket'
      ? { kind, intervalMs: 1000, timeoutMs: 1000 }
      : { kind, url: `http://127.0.0.1/${name}/health`, intervalMs: 1000, timeoutMs: 1000 },
  startTimeoutS: 20,
  reloadSignal: null,
});

describe('requestPath', () => {
  it('is the gateway and its dependencies; the admin, HTTP-checked too, is not on it', () => {
    const path = requestPath([
      spec('logs'),
      spec('db', ['logs']),
      spec('mailer', ['logs', 'db']),
      spec('cron', ['logs', 'db', 'mailer']),
      spec('gateway', ['logs', 'db'], 'http'),
      spec('admin', ['logs', 'db'], 'http'),
    ]);
    expect([...path].sort()).toEqual(['db', 'gateway', 'logs']);
  });

  it('without a gateway: the HTTP-checked services and their dependencies', () => {
    const path = requestPath([spec('alpha'), spec('web', ['alpha'], 'http'), spec('other')]);
    expect([...path].sort()).toEqual(['alpha', 'web']);
  });

  it('is every service when nothing is HTTP-checked', () => {
    expect([...requestPath([spec('a'), spec('b', ['a'])])].sort()).toEqual(['a', 'b']);
  });
});
