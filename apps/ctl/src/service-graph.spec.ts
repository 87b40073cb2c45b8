import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '@sogoms/config';
import { ServiceGraph, ServiceGraphError } from './service-graph.js';

const spec = (name: string, dependsOn: string[] = []): ServiceSpec => ({
  name,
  entry: `/srv/${name}.js`,
  dependsOn,
  health: { kind: 'socket', intervalMs: 1000, timeoutMs: 1000 },
  startTimeoutS: 20,
  reloadSignal: null,
});

const names = (services: readonly ServiceSpec[]): string[] => services.map((service) => service.name);

describe('ServiceGraph', () => {
  it('starts every dependency before its dependants, whatever the file order', () => {
    const graph = new ServiceGraph([spec('gateway', ['logs', 'db']), spec('db', ['logs']), spec('logs')]);
    expect(names(graph.startOrder)).toEqual(['logs', 'db', 'gateway']);
    expect(names(graph.stopOrder)).toEqual(['gateway', 'db', 'logs']);
  });

  it('keeps the file order between services that do not depend on each other', () => {
    const graph = new ServiceGraph([spec('c'), spec('a'), spec('b', ['a']), spec('d')]);
    expect(names(graph.startOrder)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('handles diamonds without starting a service twice', () => {
    const graph = new ServiceGraph([
      spec('top', ['left', 'right']),
      spec('left', ['base']),
      spec('right', ['base']),
      spec('base'),
    ]);
    expect(names(graph.startOrder)).toEqual(['base', 'left', 'right', 'top']);
  });

  it('names the services of a cycle in order', () => {
    const build = (): ServiceGraph =>
      new ServiceGraph([spec('logs'), spec('db', ['gateway']), spec('gateway', ['db'])]);
    expect(build).toThrow(ServiceGraphError);
    expect(build).toThrow('services depend on each other in a cycle: db -> gateway -> db');
  });

  it('reports a service that depends on itself and an unknown dependency', () => {
    expect(() => new ServiceGraph([spec('db', ['db'])])).toThrow('cycle: db -> db');
    expect(() => new ServiceGraph([spec('db', ['logz'])])).toThrow(
      'service db depends on unknown service logz',
    );
  });
});
