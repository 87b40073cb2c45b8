import autocannon from 'autocannon';
import type { LoadJob, LoadOutcome } from './load-job.js';
import { scenarioRequests } from './scenarios.js';

/**
 * The load generator, in a process of its own so it never shares an event loop with what it
 * measures: `node load-driver.main.js '<LoadJob JSON>'`.
 */
const main = async (): Promise<void> => {
  const job = JSON.parse(process.argv[2]) as LoadJob;
  const result = await autocannon({
    url: `http://127.0.0.1:${job.target.port}`,
    connections: job.connections,
    duration: job.durationS,
    timeout: 10,
    requests: scenarioRequests(job.scenario, job.target),
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
