import type { ServiceSpec, SupervisorConfig, TransportKind } from '@sogoms/config';

/**
 * The services that run under `transport`: those whose `transports` list it (all, when a
 * service lists none). A dependency on a service that does not run is dropped with it (with
 * `inprocess` the gateway holds the db module itself, so it waits for no db service).
 */
export const servicesForTransport = (
  config: SupervisorConfig,
  transport: TransportKind,
): SupervisorConfig => {
  const runs = (service: ServiceSpec): boolean => service.transports?.includes(transport) ?? true;
  const running = new Set(config.services.filter(runs).map((service) => service.name));
  return {
    ...config,
    services: config.services
      .filter((service) => running.has(service.name))
      .map((service) => ({ ...service, dependsOn: service.dependsOn.filter((name) => running.has(name)) })),
  };
};
