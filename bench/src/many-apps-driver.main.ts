import autocannon from 'autocannon';
import type { LoadOutcome } from './load-job.js';
import type { ManyAppsJob } from './many-apps-job.js';

/**
 * The load of the many-apps phase, in a process of its own: `hosts.length × perHost` connections,
 * each bound to one app by its Host header (`node many-apps-driver.main.js '<ManyAppsJob JSON>'`).
 */
const main = async (): Promise<void> => {
  const job = JSON.parse(process.argv[2]) as ManyAppsJob;
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${job.port}${job.path}`,
    connections: job.hosts.length * job.perHost,
    duration: job.durationS,
    timeout: 10,
    setupClient: (client) => {
      const host = job.hosts[Math.floor(next++ / job.perHost) % job.hosts.length];
      client.setHeaders({ host });
    },
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  const outcome: LoadOutcome = {
    requests: result.requests.total,
    sent: result.requests.sent,
    durationS: result.duration,
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`load driver failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
