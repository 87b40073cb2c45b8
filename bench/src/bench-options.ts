/** The phases of one run; `--only a,b` picks some (for working on the harness). */
export const PHASES = ['ipc', 'api', 'mail', 'crypt', 'scale', 'many-apps'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  /** `--quick`: 3 s per scenario instead of 10 (and shorter warm-ups and IPC runs). */
  quick: boolean;
  /** `--with-directus`: install (once), bootstrap and measure Directus 12.4.0 as a peer. */
  withDirectus: boolean;
  phases: ReadonlySet<Phase>;
  /** `--no-write`: print the table but keep bench/results as it is. */
  write: boolean;
  /** `--cpu-prof`: the stack's processes write V8 CPU profiles (API phase); their top functions are printed. */
  cpuProf: boolean;
  /**
   * `--node-args SERVICE=ARGS` (repeatable; SERVICE logs, db, gateway or ctl, ARGS space-separated,
   * may be empty): node options for that process of the API phase's stacks instead of the
   * supervisor's defaults, to measure what a V8 flag does to RSS and throughput.
   */
  nodeArgs: Readonly<Record<string, string[]>>;
  /**
   * `--aa`: an A/A control. The metrics-off stack keeps metrics on, so the "metrics on ÷ off"
   * ratios it prints are the harness's own noise. Implies `--no-write`.
   */
  aa: boolean;
  /** `--request-log PERCENT`: the gateway's `request_log_percent` (0–100); absent: the default. */
  requestLogPercent: number | null;
  warmupS: number;
  durationS: number;
  ipcDurationS: number;
  connections: number;
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--with-directus] [--only ${PHASES.join(',')}] [--no-write] [--cpu-prof] [--aa] [--node-args SERVICE=ARGS]… [--request-log PERCENT]`;

export const parseBenchOptions = (argv: readonly string[]): BenchOptions => {
  let quick = false;
  let withDirectus = false;
  let write = true;
  let cpuProf = false;
  let aa = false;
  let phases: Set<Phase> = new Set(PHASES);
  const nodeArgs: Record<string, string[]> = {};
  let requestLogPercent: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--with-directus') withDirectus = true;
    else if (arg === '--no-write') write = false;
    else if (arg === '--cpu-prof') cpuProf = true;
    else if (arg === '--aa') aa = true;
    else if (arg === '--request-log') {
      requestLogPercent = Number(argv[++i]);
      if (!Number.isInteger(requestLogPercent) || requestLogPercent < 0 || requestLogPercent > 100) {
        throw new Error('--request-log takes a percent, 0 to 100');
      }
    } else if (arg === '--node-args') {
      const spec = argv[++i] ?? '';
      const at = spec.indexOf('=');
      const service = spec.slice(0, at);
      if (at < 1 || !/^[a-z][a-z0-9_-]*$/.test(service)) throw new Error('--node-args takes SERVICE=ARGS');
      nodeArgs[service] = spec
        .slice(at + 1)
        .split(' ')
        .filter((part) => part !== '');
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      const names = (list ?? '').split(',').filter((name) => name !== '');
      const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes ${PHASES.join(', ')}`);
      phases = new Set(names as Phase[]);
    } else throw new Error(`unknown option ${arg}\n${BENCH_USAGE}`);
  }
  return {
    quick,
    withDirectus,
    phases,
    write: write && !aa,
    cpuProf,
    aa,
    nodeArgs,
    requestLogPercent,
    warmupS: quick ? 1 : 3,
    durationS: quick ? 3 : 10,
    ipcDurationS: quick ? 1 : 3,
    connections: 32,
  };
};
