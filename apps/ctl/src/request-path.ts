import type { ServiceSpec } from '@sogoms/config';

/** The service that serves the API. */
const GATEWAY = 'gateway';

/**
 * The services an API request needs, started before the others (Supervisor.startAll): the
 * gateway and everything it depends on. Without a service named gateway, the services with an
 * HTTP health check and their dependencies; all of them when none has one. The admin has an
 * HTTP health check too, but no API request waits for it: it starts with mailer, push and cron.
 */
export const requestPath = (services: readonly ServiceSpec[]): Set<string> => {
  const byName = new Map(services.map((spec) => [spec.name, spec]));
  const path = new Set<string>();
  const add = (name: string): void => {
    if (path.has(name)) return;
    path.add(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) add(dependency);
  };
  if (byName.has(GATEWAY)) add(GATEWAY);
  else for (const spec of services) if (spec.health.kind === 'http') add(spec.name);
  return path.size === 0 ? new Set(byName.keys()) : path;
};
