/**
 * For a process that idles while the services work (the supervisor, logs): a 1 MB young
 * generation and lite mode (no optimising compilers, feedback allocated lazily). Lite mode runs
 * without WebAssembly (so no `fetch`); `--no-expose-wasm` says so and keeps node from warning
 * about it at every start.
 */
const IDLE_PROCESS_NODE_ARGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--lite-mode',
  '--no-expose-wasm',
];

/**
 * node options the supervisor gives a service whose sogoctl.yaml entry has no `node_args` (an
 * entry's own list, even `[]`, replaces them). Chosen under the bench's load (docs/bench.md,
 * "Memory") to keep the whole stack under 400 MB RSS:
 * - logs: the idle-process options (−10 MB); it formats and appends a few lines.
 * - mailer: the idle-process options; it mostly waits on the queue and on SMTP replies.
 * - push: the idle-process options; it holds connections and forwards small messages. Without
 *   lite mode it idled at 86 MB instead of 69 and the bench's write scenario was no faster.
 * - cron: the idle-process options; it waits for fire times and on the services it calls.
 * - db: semi-spaces of 8 MB instead of 16 (−14 MB); its live heap is small and short-lived.
 * - gateway: the old generation may grow to 1.5× what a full GC left instead of up to 4× (about
 *   −60 MB at peak). Under load it then runs a full GC about once a second instead of every
 *   4 s; film?limit=50 took 0.60–0.76 CPU ms per request against 0.52–0.69 with V8's defaults.
 */
export const DEFAULT_NODE_ARGS: Readonly<Record<string, readonly string[]>> = {
  logs: IDLE_PROCESS_NODE_ARGS,
  mailer: IDLE_PROCESS_NODE_ARGS,
  push: IDLE_PROCESS_NODE_ARGS,
  cron: IDLE_PROCESS_NODE_ARGS,
  admin: IDLE_PROCESS_NODE_ARGS,
  db: ['--max-semi-space-size=8'],
  gateway: ['--heap-growing-percent=50'],
};

/**
 * node options of the supervisor itself (`npm start` runs `node <these> dist/bundle/ctl/main.js`):
 * the idle-process options (78 → 54 MB).
 */
export const SUPERVISOR_NODE_ARGS: readonly string[] = IDLE_PROCESS_NODE_ARGS;

/** The built-in node options of a service by name (none for a service the project does not ship). */
export const defaultNodeArgs = (service: string): string[] => [...(DEFAULT_NODE_ARGS[service] ?? [])];
