import type { BenchResults, ScenarioResult } from './bench-results.js';
import { SCENARIOS, type SystemName } from './scenarios.js';

const fixed = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const find = (results: BenchResults, name: string, system: SystemName): ScenarioResult | undefined =>
  results.scenarios.find((s) => s.name === name && s.system === system);

/** SOGOMS's req/s over the baseline's for the same scenario, or null when either is missing. */
export const ratio = (results: BenchResults, result: ScenarioResult, baseline: SystemName): number | null => {
  if (result.system === baseline) return null;
  const base = find(results, result.name, baseline)?.rps;
  return result.rps === null || base === null || base === undefined || base === 0 ? null : result.rps / base;
};

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const header = (cells: string[], align: string[]): string[] => [row(cells), row(align)];

/** The scenario table, then its footnotes: why a figure is missing, non-2xx status codes. */
export const scenarioTable = (results: BenchResults): string[] => {
  const lines = header(
    [
      '#',
      'scenario',
      'system',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'non-2xx',
      'queries/req',
      'CPU ms/req',
      '× ceiling',
      '× Directus',
    ],
    ['--:', ':--', ':--', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:', '--:'],
  );
  const footnotes: string[] = [];
  for (const info of SCENARIOS) {
    for (const result of results.scenarios.filter((s) => s.name === info.id)) {
      const x = (baseline: SystemName): string => {
        const value =
          result.system === 'ceiling' || result.system === 'directus'
            ? null
            : ratio(results, result, baseline);
        return value === null ? '–' : `${fixed(value, 2)}×`;
      };
      let system: string = result.system;
      if (result.note !== undefined) {
        footnotes.push(`${footnotes.length + 1}. scenario ${info.number}, ${result.system}: ${result.note}`);
        system += ` [${footnotes.length}]`;
      }
      lines.push(
        row([
          String(info.number),
          info.title,
          system,
          result.rps === null ? 'n/a' : fixed(result.rps),
          fixed(result.p50_ms, 1),
          fixed(result.p99_ms, 1),
          fixed(result.errors),
          fixed(result.non_2xx),
          fixed(result.queries_per_request, 2),
          fixed(result.cpu_ms_per_request, 3),
          x('ceiling'),
          x('directus'),
        ]),
      );
    }
  }
  return footnotes.length === 0 ? lines : [...lines, '', ...footnotes];
};

interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

/** The issue's targets against this run (null = could not be judged: a figure is missing). */
export const targetChecks = (results: BenchResults): TargetCheck[] => {
  const checks: TargetCheck[] = [];
  const ratioCheck = (
    name: string,
    system: SystemName,
    baseline: SystemName,
    min: number,
    label: string,
  ): void => {
    const result = find(results, name, system);
    const value = result === undefined ? null : ratio(results, result, baseline);
    checks.push({
      target: label,
      measured: value === null ? 'not measured' : `${fixed(value, 2)}×`,
      met: value === null ? null : value >= min,
    });
  };
  ratioCheck('film_by_id', 'sogoms', 'ceiling', 0.6, 'Scenario 1 ≥ 0.6× ceiling (IPC)');
  ratioCheck('film_by_id', 'inprocess', 'ceiling', 0.8, 'Scenario 1 ≥ 0.8× ceiling (in-process)');
  ratioCheck('film_list', 'sogoms', 'ceiling', 0.75, 'Scenario 2 ≥ 0.75× ceiling');
  ratioCheck('rental_includes', 'sogoms', 'ceiling', 0.6, 'Scenario 3 ≥ 0.6× ceiling');
  ratioCheck('payment_write', 'push', 'sogoms', 0.95, 'Scenario 4 with push on ≥ 0.95× push off');
  ratioCheck('film_by_id', 'sogoms', 'metrics_off', 0.95, 'Scenario 1 with metrics on ≥ 0.95× metrics off');
  ratioCheck('film_list', 'sogoms', 'metrics_off', 0.95, 'Scenario 2 with metrics on ≥ 0.95× metrics off');
  for (const name of ['film_by_id', 'film_list', 'rental_includes'])
    ratioCheck(
      name,
      'sogoms',
      'directus',
      6,
      `Scenario ${SCENARIOS.find((s) => s.id === name)?.number} ≥ 6× tuned Directus`,
    );
  const sogoms = results.scenarios.filter((s) => s.system === 'sogoms' && s.rps !== null);
  const failures = sogoms.reduce((sum, s) => sum + (s.errors ?? 0) + (s.non_2xx ?? 0), 0);
  checks.push({
    target: '0 errors (SOGOMS, every measured scenario)',
    measured: sogoms.length === 0 ? 'not measured' : `${failures} errors + non-2xx`,
    met: sogoms.length === 0 ? null : failures === 0,
  });
  const p99s = sogoms.filter((s) => s.name !== 'auth_login');
  const worst = p99s.reduce<number | null>((max, s) => Math.max(max ?? 0, s.p99_ms ?? 0), null);
  checks.push({
    target: 'p99 ≤ 25 ms at 32 connections (scenarios 1–5)',
    measured: worst === null ? 'not measured' : `worst ${fixed(worst, 1)} ms`,
    met: worst === null ? null : worst <= 25,
  });
  const q3 = find(results, 'rental_includes', 'sogoms')?.queries_per_request ?? null;
  checks.push({
    target: 'Scenario 3 ≤ 3 SQL queries per request',
    measured: q3 === null ? 'not measured' : fixed(q3, 2),
    met: q3 === null ? null : q3 <= 3,
  });
  const rss = results.rss_mb.sogoms_total ?? null;
  checks.push({
    target: 'Whole stack RSS ≤ 400 MB under load',
    measured:
      rss === null
        ? 'not measured'
        : `${fixed(rss)} MB${results.pss_mb.sogoms_total === null || results.pss_mb.sogoms_total === undefined ? '' : ` (PSS ${fixed(results.pss_mb.sogoms_total)} MB)`}`,
    met: rss === null ? null : rss <= 400,
  });
  const mail = results.mail;
  if (mail !== null) {
    const mb = (value: number | null, max: number, label: string): void => {
      checks.push({
        target: label,
        measured: value === null ? 'not measured' : `${fixed(value)} MB`,
        met: value === null ? null : value <= max,
      });
    };
    mb(mail.mailer_idle_rss_mb, 60, 'mailer RSS idle ≤ 60 MB');
    mb(mail.mailer_peak_rss_mb, 80, 'mailer RSS ≤ 80 MB during a bulk');
  }
  const crypt = results.crypt;
  if (crypt !== null && crypt !== undefined)
    checks.push({
      target: 'encrypted read (50 rows, 2 encrypted fields) ≥ 0.85× the same in clear',
      measured: crypt.ratio === null ? 'not measured' : `${fixed(crypt.ratio, 2)}×`,
      met: crypt.ratio === null ? null : crypt.ratio >= 0.85,
    });
  const r = results.reload;
  const ms = (value: number | null, max: number, label: string): void => {
    checks.push({
      target: label,
      measured: value === null ? r.status : `${fixed(value)} ms`,
      met: value === null ? null : value <= max,
    });
  };
  ms(r.start_ms, 2000, '1,000 tables: gateway start ≤ 2 s (a restart; parse cache in run_dir)');
  ms(r.reload_ms, 1000, '1,000 tables: reload ≤ 1 s');
  ms(r.max_pause_ms, 100, '1,000 tables: no request paused > 100 ms by a reload');
  const m = results.many_apps;
  const ok = m?.status === 'ok';
  checks.push(
    {
      target: '50 apps: start in under 3 s',
      measured: ok ? `${fixed(m.start_ms)} ms` : (m?.status ?? 'not measured'),
      met: ok && m.start_ms !== undefined ? m.start_ms < 3000 : null,
    },
    {
      target: '50 apps × 8 clients: 0 non-2xx',
      measured: ok && m.many ? fixed(m.many.non_2xx + m.many.errors) : (m?.status ?? 'not measured'),
      met: ok && m.many ? m.many.non_2xx + m.many.errors === 0 : null,
    },
    {
      target: '50 apps: SOGOMS connections ≤ the budget at every sample',
      measured: ok
        ? `peak ${fixed(m.peak_connections)} / budget ${fixed(m.budget)} (${fixed(m.samples_over_budget)} of ${fixed(m.samples)} samples over)`
        : (m?.status ?? 'not measured'),
      met: ok ? m.samples_over_budget === 0 : null,
    },
    {
      target: '50 apps: total req/s ≥ 0.8× the same clients on one app',
      measured: ok ? `${fixed(m.ratio, 2)}×` : (m?.status ?? 'not measured'),
      met: ok && m.ratio !== null && m.ratio !== undefined ? m.ratio >= 0.8 : null,
    },
  );
  return checks;
};

/** The crypt phase: the same list with and without two encrypted fields. */
const cryptSection = (results: BenchResults): string[] => {
  const c = results.crypt;
  if (c === null || c === undefined) return [];
  const lines = ['## Field encryption: `GET ?limit=50`, two encrypted fields against none', ''];
  if (c.status !== 'ok') return [...lines, `${c.status}: ${c.note ?? ''}`, ''];
  return [
    ...lines,
    ...header(['table', 'req/s', 'p99 ms'], [':--', '--:', '--:']),
    row(['people_plain (in clear)', fixed(c.plain_rps), fixed(c.plain_p99_ms)]),
    row(['people_encrypted (email searchable, phone)', fixed(c.encrypted_rps), fixed(c.encrypted_p99_ms)]),
    row(['**encrypted / plain**', fixed(c.ratio, 2), '']),
    '',
  ];
};

/** The mail phase: `send_bulk` → every message accepted by a local SMTP server. */
const mailSection = (results: BenchResults): string[] => {
  const m = results.mail;
  if (m === null) return [];
  const lines = ['## Mail: `mailer.send_bulk` to a local SMTP server', ''];
  if (m.status !== 'ok') return [...lines, `${m.status}: ${m.note ?? ''}`, ''];
  return [
    ...lines,
    ...header(['measure', 'value'], [':--', '--:']),
    row(['messages (welcome template, one per recipient)', fixed(m.messages)]),
    row(['SMTP pool (sends in flight)', fixed(m.pool)]),
    row(['`send_bulk` answered (all rows queued)', `${fixed(m.queued_ms)} ms`]),
    row(['last message accepted by the SMTP server', `${fixed(m.delivered_ms)} ms`]),
    row(['**messages/s, queued → sent**', fixed(m.msgs_per_s)]),
    row(['rows `sent` / messages received', `${fixed(m.sent_rows)} / ${fixed(m.received)}`]),
    row([
      'mailer RSS idle / peak during the bulk (MiB)',
      `${fixed(m.mailer_idle_rss_mb)} / ${fixed(m.mailer_peak_rss_mb)}`,
    ]),
    '',
  ];
};

/** 50 apps on one MariaDB: the loads side by side, the budget, start and memory. */
const manyAppsSection = (results: BenchResults): string[] => {
  const m = results.many_apps;
  const lines = ['## Many apps on one MariaDB (50 apps, `GET /items?limit=5`)', ''];
  if (m === undefined || m.status !== 'ok' || m.many === undefined || m.one_app === undefined)
    return [...lines, `${m?.status ?? 'not measured'}: ${m?.note ?? 'not in this report'}`, ''];
  const load = (label: string, l: NonNullable<typeof m.many>, peak: number | undefined): string =>
    row([
      label,
      fixed(l.rps),
      fixed(l.p50_ms, 1),
      fixed(l.p99_ms, 1),
      fixed(l.errors),
      fixed(l.non_2xx),
      fixed(peak),
    ]);
  const codes = (l: NonNullable<typeof m.many>): string =>
    Object.entries(l.status_codes)
      .map(([code, n]) => `${code}: ${fixed(n)}`)
      .join(', ');
  return [
    ...lines,
    ...header(
      ['load', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak connections'],
      [':--', '--:', '--:', '--:', '--:', '--:', '--:'],
    ),
    load(`${fixed(m.apps)} apps × ${fixed(m.clients_per_app)} clients`, m.many, m.peak_connections),
    load(
      `one app × ${fixed((m.apps ?? 0) * (m.clients_per_app ?? 0))} clients`,
      m.one_app,
      m.peak_connections_one_app,
    ),
    '',
    ...header(['measure', 'value'], [':--', '--:']),
    row(['req/s, 50 apps over one app', `${fixed(m.ratio, 2)}×`]),
    row([
      "MariaDB's max_connections → SOGOMS's budget",
      `${fixed(m.server_max_connections)} → ${fixed(m.budget)}`,
    ]),
    row([
      "SOGOMS's connections (MariaDB's process list, every 250 ms), peak",
      `${fixed(m.peak_connections)} (${fixed(m.samples_over_budget)} of ${fixed(m.samples)} samples over the budget)`,
    ]),
    row(['connections idle after the start', fixed(m.idle_connections)]),
    row(['waits that timed out · 1040s seen', `${fixed(m.timed_out_waits)} · ${fixed(m.refused_1040)}`]),
    row(['start (supervisor spawned → all 50 apps answer)', `${fixed(m.start_ms)} ms`]),
    row(['start of the same stack with one app', `${fixed(m.start_one_app_ms ?? null)} ms`]),
    row([
      'peak RSS: whole stack · db · gateway (MiB)',
      `${fixed(m.rss_total_mb)} · ${fixed(m.rss_db_mb)} · ${fixed(m.rss_gateway_mb)}`,
    ]),
    row([
      m.create_databases_ms === null ? 'databases' : 'databases created',
      m.create_databases_ms === null ? 'made by an earlier run' : `${fixed(m.create_databases_ms)} ms`,
    ]),
    '',
    `Status codes: 50 apps ${codes(m.many)}; one app ${codes(m.one_app)}.`,
    '',
  ];
};

export const renderMarkdown = (results: BenchResults): string => {
  const run = results.run;
  const lines: string[] = [
    `# SOGOMS benchmark${run.quick ? ' (quick)' : ''}`,
    '',
    `${run.started_at} · ${run.machine} · ${run.connections} connections, ${run.warmup_s} s warm-up, ${run.scenario_s} s per scenario · ` +
      `whole run ${fixed(run.duration_s)} s · Directus ${run.with_directus ? 'measured' : 'not measured (run with --with-directus)'}`,
    '',
    '## API scenarios',
    '',
    ...scenarioTable(results),
    '',
    'req/s counts every request (scenario 4: a POST and a DELETE each). Latencies from autocannon (1 ms resolution). ' +
      "queries/req from the db service counters (`db.stats`) for SOGOMS and from the ceiling's own counter. " +
      'CPU ms/req: user + system time of all the system’s processes over the run, per request sent. ' +
      "× = SOGOMS req/s over the baseline's in this run.",
    '',
    '## Targets',
    '',
    ...header(['target', 'measured', 'met'], [':--', '--:', ':-:']),
    ...targetChecks(results).map((c) =>
      row([c.target, c.measured, c.met === null ? '–' : c.met ? 'yes' : '**no**']),
    ),
    '',
    '## Memory under load (peak RSS and PSS, MiB)',
    '',
    'PSS counts pages shared between processes (the ~45 MB node binary every Node process maps) as a',
    'share: a sum of PSS is the memory the processes hold together, a sum of RSS counts those pages once',
    'per process. The target is read on RSS.',
    '',
    ...header(['process', 'RSS', 'PSS'], [':--', '--:', '--:']),
    ...Object.entries(results.rss_mb).map(([name, mb]) =>
      row([name, fixed(mb), fixed(results.pss_mb[name] ?? null)]),
    ),
    '',
    '## IPC micro-benchmark (Unix socket transport, echo handler in another process)',
    '',
    ...header(
      ['case', 'in flight', 'round trips/s', 'p50 µs', 'p99 µs'],
      [':--', '--:', '--:', '--:', '--:'],
    ),
    ...results.ipc.map((r) =>
      row([
        r.case,
        String(r.in_flight),
        fixed(r.round_trips_per_s),
        fixed(r.p50_us, r.p50_us < 10 ? 2 : 0),
        fixed(r.p99_us, r.p99_us < 10 ? 2 : 0),
      ]),
    ),
    '',
    ...mailSection(results),
    ...cryptSection(results),
    '## 1,000-table schema',
    '',
  ];
  const r = results.reload;
  if (r.status !== 'ok') lines.push(`${r.status}: ${r.note ?? ''}`, '');
  else
    lines.push(
      ...header(['measure', 'value'], [':--', '--:']),
      row(['tables', fixed(r.tables)]),
      row([
        'CREATE TABLE × 1,000 (scratch database)',
        r.create_tables_ms === null ? 'made by an earlier run' : `${fixed(r.create_tables_ms)} ms`,
      ]),
      row(['`sogoms schema scan`', `${fixed(r.scan_ms)} ms`]),
      row(['gateway start (process start → first answer of a table route)', `${fixed(r.start_ms)} ms`]),
      row([
        'the same without the parse cache (`{run_dir}/cache` removed)',
        `${fixed(r.start_no_cache_ms)} ms`,
      ]),
      row(['reload (`sogoms reload` → the new table serves)', `${fixed(r.reload_ms)} ms`]),
      row(['longest request during the reload', `${fixed(r.max_pause_ms, 1)} ms`]),
      row(['longest request of the same loop before it', `${fixed(r.max_latency_before_ms, 1)} ms`]),
      row([
        'requests during the reload (failed)',
        `${fixed(r.requests_during_reload)} (${fixed(r.failed_during_reload)})`,
      ]),
      ...(r.note === undefined ? [] : ['', r.note]),
      '',
    );
  lines.push(...manyAppsSection(results));
  if (run.notes.length > 0)
    lines.push('## Notes', '', ...run.notes.map((note) => `- ${note.replace(/\s*\n\s*/g, ' / ')}`), '');
  return lines.join('\n');
};
