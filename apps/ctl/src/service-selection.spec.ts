import type { ServiceSpec, SupervisorConfig } from '@sogoms/config';
import { describe, expect, it } from 'vitest';
import { servicesForTransport } from './service-selection.js';

const spec = (name: string, dependsOn: string[], transports?: ServiceSpec['transports']): ServiceSpec => ({
  name,
  entry: `/x/${name}.js`,
  dependsOn,
  health: { kind: 'socket', intervalMs: 1000, timeoutMs: 1000 },
  startTimeoutS: 20,
  reloadSignal: null,
  ...(transports === undefined ? {} : { transports }),
});

const config: SupervisorConfig = {
  restart: { initialDelayMs: 200, maxDelayMs: 10_000, resetAfterMs: 60_000 },
  stopGraceMs: 5000,
  services: [
    spec('logs', [], ['unix', 'inprocess', 'nats']),
    spec('db', ['logs'], ['unix', 'nats']),
    spec('gateway', ['logs', 'db']),
  ],
};

describe('servicesForTransport', () => {
  it('runs every service whose transports list the configured one', () => {
    expect(servicesForTransport(config, 'unix')).toEqual(config);
    expect(servicesForTransport(config, 'nats').services.map((s) => s.name)).toEqual([
      'logs',
      'db',
      'gateway',
    ]);
  });

  it('in process: no db service, and the gateway no longer waits for it', () => {
    const selected = servicesForTransport(config, 'inprocess');
    expect(selected.services.map((s) => [s.name, s.dependsOn])).toEqual([
      ['logs', []],
      ['gateway', ['logs']],
    ]);
    expect(selected.restart).toEqual(config.restart);
  });
});
