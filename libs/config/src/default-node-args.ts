/**
 * node options the supervisor gives a service whose sogoctl.yaml entry has no `node_args` (an
 * entry's own list, even `[]`, replaces them). Chosen under the bench's load (docs/bench.md,
 * "Memory"); beside the ~45 MB of the node binary each process maps, most of a service's RSS is
 * V8's heap:
 * - `--max-semi-space-size`: the young generation's two semi-spaces grow to 16 MB each by
 *   default; the busy services keep 8 MB (at 4 MB their scavenges took twice the CPU of V8's
 *   default), the idle logs service 1 MB.
 * - `--heap-growing-percent=20`: the old generation is collected once it has grown by 20 %
 *   instead of by a factor of up to 4 (V8's default, picked from GC speed), so what a loaded
 *   service promotes does not pile up to twice its live heap before a full GC (cheap: 20 and
 *   50 % cost the same GC time).
 */
export const DEFAULT_NODE_ARGS: Readonly<Record<string, readonly string[]>> = {
  logs: ['--max-semi-space-size=1'],
  db: ['--max-semi-space-size=8', '--heap-growing-percent=20'],
  gateway: ['--max-semi-space-size=8', '--heap-growing-percent=20'],
};

/**
 * node options of the supervisor itself (`npm start` runs `node <these> dist/apps/ctl/src/main.js`):
 * it idles while the services work, a small young generation is enough.
 */
export const SUPERVISOR_NODE_ARGS: readonly string[] = ['--max-semi-space-size=1'];

/** The built-in node options of a service by name (none for a service the project does not ship). */
export const defaultNodeArgs = (service: string): string[] => [...(DEFAULT_NODE_ARGS[service] ?? [])];
