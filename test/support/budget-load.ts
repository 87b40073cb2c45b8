import type { DbServerStats } from '@sogoms/ipc';
import type { ScratchMariaDb } from './scratch-mariadb.js';

/** What a set of client loops saw. */
export interface LoadOutcome {
  /** Milliseconds of each call that succeeded. */
  latencies: number[];
  /** Errors as `code: message` (or the thrown text). */
  errors: string[];
}

/**
 * Runs `clients` loops of `call` one after the other until `durationMs` is up (a closed loop: each
 * client sends its next call when the previous one answered, as a browser tab or worker would).
 */
export const runClients = async (
  clients: number,
  durationMs: number,
  call: () => Promise<unknown>,
): Promise<LoadOutcome> => {
  const outcome: LoadOutcome = { latencies: [], errors: [] };
  const until = Date.now() + durationMs;
  const client = async (): Promise<void> => {
    while (Date.now() < until) {
      const started = performance.now();
      try {
        await call();
        outcome.latencies.push(performance.now() - started);
      } catch (error) {
        const coded = error as { code?: unknown; message?: unknown };
        outcome.errors.push(`${String(coded.code)}: ${String(coded.message)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return outcome;
};

export const merge = (outcomes: LoadOutcome[]): LoadOutcome => ({
  latencies: outcomes.flatMap((o) => o.latencies),
  errors: outcomes.flatMap((o) => o.errors),
});

/** The value below which `p` percent of `values` lie (nearest rank). */
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** The most connections `user` held at once on `server` while `work` ran (sampled every 50 ms). */
export const peakConnectionsWhile = async <T>(
  server: ScratchMariaDb,
  user: string,
  work: Promise<T>,
  stats: () => DbServerStats | undefined = () => undefined,
): Promise<{ result: T; peak: number; samples: number; peakWaiting: number }> => {
  let done = false;
  let peak = 0;
  let samples = 0;
  let peakWaiting = 0;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await server.connectionsOf(user));
      peakWaiting = Math.max(peakWaiting, stats()?.waiting ?? 0);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const result = await work;
    return { result, peak, samples, peakWaiting };
  } finally {
    done = true;
    await sampler;
  }
};
