// The registry without the Nest module: the supervisor imports this, so that its start does not
// load @nestjs/common and rxjs (about 0.25 s of a 2-core machine's time before it spawns anything).
export { ServiceMetrics, type MetricsSnapshot } from './service-metrics.js';
