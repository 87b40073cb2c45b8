/**
 * node options the supervisor gives a service whose sogoctl.yaml entry has no `node_args` (an
 * entry's own list, even `[]`, replaces them). Measured under the bench's load (docs/bench.md,
 * "Memory"): a small young generation keeps an idle service's RSS down for free. The busy db and
 * gateway keep V8's defaults: `--max-semi-space-size=8 --heap-growing-percent=20` took the whole
 * stack from about 500 to 385 MB, but cost 5–20 % more CPU per request on the list and
 * include scenarios (more scavenges and full GCs), more than the throughput the memory is worth.
 */
export const DEFAULT_NODE_ARGS: Readonly<Record<string, readonly string[]>> = {
  logs: ['--max-semi-space-size=1'],
};

/**
 * node options of the supervisor itself (`npm start` runs `node <these> dist/apps/ctl/src/main.js`):
 * it idles while the services work, a small young generation is enough (78 → 64 MB).
 */
export const SUPERVISOR_NODE_ARGS: readonly string[] = ['--max-semi-space-size=1'];

/** The built-in node options of a service by name (none for a service the project does not ship). */
export const defaultNodeArgs = (service: string): string[] => [...(DEFAULT_NODE_ARGS[service] ?? [])];
