import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runApiPhase } from './api-bench.js';
import { notMeasured, reloadNotAvailable, type BenchResults } from './bench-results.js';
import { parseBenchOptions, PHASES, type BenchOptions } from './bench-options.js';
import { startDirectus, type DirectusPeer } from './directus-peer.js';
import { runIpcMicroBench } from './ipc-micro.bench.js';
import { cryptNotMeasured, runCryptPhase } from './crypt.bench.js';
import { mailNotMeasured, runMailPhase } from './mail.bench.js';
import { manyAppsNotAvailable, runManyAppsPhase } from './many-apps.bench.js';
import { benchMysqlServer, withConnection } from './mysql-server.js';
import { RssSampler } from './process-rss.js';
import { PROJECT_ROOT } from './project-root.js';
import { renderMarkdown } from './results-report.js';
import { SCENARIOS } from './scenarios.js';
import { runScalePhase } from './scale.bench.js';

const log = (line: string): void => void process.stdout.write(`[bench] ${line}\n`);

const machine = async (options: BenchOptions): Promise<string> => {
  const server = benchMysqlServer();
  const version = await withConnection(server, async (c) => {
    const [rows] = await c.query('SELECT VERSION() AS v');
    return String((rows as { v: string }[])[0].v).split('-')[0];
  }).catch(() => 'unknown');
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, MariaDB ${version}${options.quick ? ', --quick' : ''}`;
};

const LATEST_JSON = join(PROJECT_ROOT, 'bench/results/latest.json');

/**
 * With `--only`, the phases not run keep the figures of the last full report (latest.json), with
 * a note saying so, so that running one phase does not erase the others from latest.md.
 */
const keepEarlierPhases = (results: BenchResults, options: BenchOptions): void => {
  if (PHASES.every((phase) => options.phases.has(phase)) || !existsSync(LATEST_JSON)) return;
  const earlier = JSON.parse(readFileSync(LATEST_JSON, 'utf8')) as BenchResults;
  const kept: string[] = [];
  if (!options.phases.has('ipc')) {
    results.ipc = earlier.ipc;
    kept.push('ipc');
  }
  if (!options.phases.has('api')) {
    results.scenarios = earlier.scenarios;
    results.rss_mb = earlier.rss_mb;
    results.pss_mb = earlier.pss_mb;
    kept.push('api');
  }
  if (!options.phases.has('scale')) {
    results.reload = earlier.reload;
    kept.push('scale');
  }
  if (!options.phases.has('many-apps') && earlier.many_apps !== undefined) {
    results.many_apps = earlier.many_apps;
    kept.push('many-apps');
  }
  const from = earlier.run.started_at;
  results.run.notes.push(
    `this run measured only ${[...options.phases].join(', ')}; ${kept.join(', ')} are the figures of the run of ${from}` +
      ` (${earlier.run.machine}), kept from latest.json.`,
    ...earlier.run.notes
      .filter((note) => !note.startsWith('this run measured only'))
      .map((note) => `(${from}) ${note}`),
  );
};

/** `npm run bench`: every phase in order, then bench/results/latest.{md,json} and the table on stdout. */
export const runBench = async (argv: readonly string[]): Promise<number> => {
  const options = parseBenchOptions(argv);
  const startedAt = new Date();
  const server = benchMysqlServer();
  const rss = new RssSampler();
  const results: BenchResults = {
    scenarios: [],
    rss_mb: {},
    pss_mb: {},
    reload: reloadNotAvailable('not run (--only)'),
    many_apps: manyAppsNotAvailable('not run (--only)'),
    ipc: [],
    mail: null,
    crypt: null,
    run: {
      started_at: startedAt.toISOString(),
      duration_s: 0,
      quick: options.quick,
      with_directus: options.withDirectus,
      connections: options.connections,
      warmup_s: options.warmupS,
      scenario_s: options.durationS,
      machine: await machine(options),
      notes: [],
    },
  };
  const notes = results.run.notes;
  // A phase that fails is reported in the notes; the others still run and the report is written.
  const failed = (phase: string, error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    notes.push(`${phase} failed: ${message.slice(0, 1500)}`);
    log(`${phase} failed: ${message}`);
  };
  const [load1, load5] = loadavg();
  // The machine may be shared: a busy one lowers every figure (the ratios within one run hold better).
  if (load1 > 1 || load5 > 1)
    notes.push(
      `load average at the start: ${load1.toFixed(1)} (1 min), ${load5.toFixed(1)} (5 min) on ${cpus().length} cores: ` +
        'other work was running; absolute figures are lower than on an idle machine.',
    );

  if (options.phases.has('ipc')) {
    log('IPC micro-benchmark');
    try {
      results.ipc = await runIpcMicroBench(options.ipcDurationS);
    } catch (error) {
      failed('IPC micro-benchmark', error);
    }
  }
  if (options.phases.has('api')) {
    // A peer, or why there is none (the table says it in place of the figures).
    let directus: DirectusPeer | string = 'not measured: run with --with-directus';
    if (options.withDirectus) {
      try {
        directus = await startDirectus(server, log);
      } catch (error) {
        directus = 'Directus could not be started (see the notes)';
        notes.push(`Directus: ${(error as Error).message}`);
        log(`Directus could not be started: ${(error as Error).message}`);
      }
    }
    try {
      const api = await runApiPhase(options, server, rss, directus, log);
      results.scenarios = api.scenarios;
      notes.push(...api.notes);
    } catch (error) {
      failed('API phase', error);
      results.scenarios = SCENARIOS.map((s) =>
        notMeasured(s.id, 'sogoms', 'the API phase failed (see the notes)'),
      );
    } finally {
      if (typeof directus !== 'string') await directus.stop();
    }
    const peak = (name: string): number | null => rss.peakMb[name] ?? null;
    results.rss_mb = {
      ctl: peak('ctl'),
      logs: peak('logs'),
      db: peak('db'),
      mailer: peak('mailer'),
      push: peak('push'),
      cron: peak('cron'),
      admin: peak('admin'),
      gateway: peak('gateway'),
      push_on_push: peak('push_push'),
      push_on_gateway: peak('push_gateway'),
      sogoms_total: rss.peakTotalMb('sogoms'),
      sqlite_db: peak('sqlite_db'),
      sqlite_total: rss.peakTotalMb('sqlite'),
      inprocess_gateway: peak('inprocess_gateway'),
      inprocess_total: rss.peakTotalMb('inprocess'),
      ceiling: peak('ceiling'),
      directus: peak('directus'),
    };
    const pss = (name: string): number | null => rss.peakPssMb[name] ?? null;
    results.pss_mb = Object.fromEntries(
      Object.keys(results.rss_mb).map((name) => [
        name,
        name.endsWith('_total') ? rss.peakPssTotalMb(name.replace(/_total$/, '')) : pss(name),
      ]),
    );
  }
  if (options.phases.has('mail')) {
    log('mail: send_bulk to a local SMTP server');
    try {
      results.mail = await runMailPhase(options, server, log);
    } catch (error) {
      failed('mail phase', error);
      results.mail = mailNotMeasured('the phase failed (see the notes)');
    }
  }
  if (options.phases.has('crypt')) {
    log('crypt: 50 rows with two encrypted fields against the same table in clear');
    try {
      results.crypt = await runCryptPhase(options, server, log);
    } catch (error) {
      failed('crypt phase', error);
      results.crypt = cryptNotMeasured('the phase failed (see the notes)');
    }
  }
  if (options.phases.has('scale')) {
    log('1,000-table schema');
    try {
      results.reload = await runScalePhase(server, log);
    } catch (error) {
      failed('1,000-table phase', error);
      results.reload = reloadNotAvailable('the phase failed (see the notes)', 'failed');
    }
  }
  if (options.phases.has('many-apps')) {
    log(`many apps: 50 apps on one MariaDB`);
    try {
      results.many_apps = await runManyAppsPhase(options, server, log);
    } catch (error) {
      failed('many-apps phase', error);
      results.many_apps = manyAppsNotAvailable('the phase failed (see the notes)', 'failed');
    }
    if (results.many_apps.status !== 'ok') notes.push(`many-apps: ${results.many_apps.note ?? ''}`);
  }
  results.run.duration_s = (Date.now() - startedAt.getTime()) / 1000;
  if (options.write) keepEarlierPhases(results, options);

  const markdown = renderMarkdown(results);
  process.stdout.write(`\n${markdown}\n`);
  if (options.write) {
    const dir = join(PROJECT_ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.md'), `${markdown}\n`);
    // Three decimals are more than any of these figures can tell.
    const rounded = (_key: string, value: unknown): unknown =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, rounded, 2)}\n`);
    log('written: bench/results/latest.md, bench/results/latest.json');
  }
  return 0;
};
