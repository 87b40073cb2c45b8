import type { ServiceSpec } from '@sogoms/config';

/** Thrown when `depends_on` names an unknown service or the services depend on each other in a circle. */
export class ServiceGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceGraphError';
  }
}

/**
 * The services in an order that starts every dependency before its dependants (and, reversed,
 * stops dependants first). Ties keep the order of the config file, so the result is predictable.
 */
export class ServiceGraph {
  readonly startOrder: readonly ServiceSpec[];

  constructor(services: readonly ServiceSpec[]) {
    this.startOrder = ServiceGraph.sort(services);
  }

  get stopOrder(): ServiceSpec[] {
    return [...this.startOrder].reverse();
  }

  private static sort(services: readonly ServiceSpec[]): ServiceSpec[] {
    const byName = new Map(services.map((service) => [service.name, service]));
    for (const service of services) {
      for (const dependency of service.dependsOn) {
        if (!byName.has(dependency)) {
          throw new ServiceGraphError(`service ${service.name} depends on unknown service ${dependency}`);
        }
      }
    }
    const sorted: ServiceSpec[] = [];
    const done = new Set<string>();
    // Depth-first; `path` holds the chain being visited, so meeting a name on it again is a cycle.
    const visit = (service: ServiceSpec, path: string[]): void => {
      if (done.has(service.name)) return;
      const seenAt = path.indexOf(service.name);
      if (seenAt >= 0) {
        const cycle = [...path.slice(seenAt), service.name].join(' -> ');
        throw new ServiceGraphError(`services depend on each other in a cycle: ${cycle}`);
      }
      for (const dependency of service.dependsOn) visit(byName.get(dependency)!, [...path, service.name]);
      done.add(service.name);
      sorted.push(service);
    };
    for (const service of services) visit(service, []);
    return sorted;
  }
}
