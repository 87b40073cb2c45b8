import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { dialectOf, type SqlDialect } from '@sogoms/db/dialect';
import type { CronRun, CronRunStatus, CronRunTrigger, InsertResult, Row, SqlValue } from '@sogoms/ipc';
import { CronSettings } from '../cron-settings.js';
import { CRON_JOBS_TABLE, CRON_RUNS_TABLE, cronTablesDdl } from './cron-tables.js';
import { cronRunOf, RUN_COLUMNS } from './cron-run-row.js';
import { CronDatabase } from './cron-database.js';

const R = `\`${CRON_RUNS_TABLE}\``;
const J = `\`${CRON_JOBS_TABLE}\``;
const MAX_ERROR = 1000;
const MAX_SUMMARY = 2000;

const CLAIM_COLUMNS = [
  'app',
  'job',
  'scheduled_at',
  'run_trigger',
  'status',
  'attempt',
  'max_attempts',
  'started_at',
  'lease_until',
  'owner',
];

export interface ClaimRequest {
  app: string;
  job: string;
  scheduledAt: number;
  trigger: CronRunTrigger;
  maxAttempts: number;
  leaseMs: number;
  owner: string;
  /** A paused job's fire time is not claimed (a manual trigger runs anyway). */
  unlessPaused: boolean;
}

/** A run this process holds: it renews the lease and records the outcome. */
export interface HeldRun {
  id: number;
  attempt: number;
}

const capped = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 3)}...` : text;

/** The only code that writes SQL for the cron tables; engine differences come from the dialect. */
@Injectable()
export class CronRunsRepository {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly db: CronDatabase,
    private readonly settings: CronSettings,
  ) {}

  private dialect(app: string): SqlDialect {
    return dialectOf(this.settings.appConfig(app).database.driver);
  }

  async ensureTables(app: string): Promise<void> {
    if (this.ensured.has(app)) return;
    for (const sql of cronTablesDdl(this.dialect(app))) await this.db.query(app, sql);
    this.ensured.add(app);
  }

  /**
   * Claims one fire time: the insert succeeds in one process only (unique app, job,
   * scheduled_at). Answers the run when this process won it, else null.
   */
  async claim(request: ClaimRequest): Promise<HeldRun | null> {
    await this.ensureTables(request.app);
    const dialect = this.dialect(request.app);
    const now = dialect.epochMsNow;
    const unlessPaused = request.unlessPaused
      ? ` WHERE NOT EXISTS (SELECT 1 FROM ${J} WHERE app = ? AND job = ? AND paused = 1)`
      : '';
    const select = `SELECT ?, ?, ?, ?, 'running', 1, ?, ${now}, ${now} + ?, ? FROM (SELECT 1 AS one) AS seed${unlessPaused}`;
    const params: SqlValue[] = [
      request.app,
      request.job,
      request.scheduledAt,
      request.trigger,
      request.maxAttempts,
      request.leaseMs,
      request.owner,
      ...(request.unlessPaused ? [request.app, request.job] : []),
    ];
    const [insert, rows] = await this.db.transaction(request.app, [
      { sql: dialect.insertIfAbsentSelect(R, CLAIM_COLUMNS, select), params, kind: 'write' },
      {
        sql: `SELECT id FROM ${R} WHERE app = ? AND job = ? AND scheduled_at = ?`,
        params: [request.app, request.job, request.scheduledAt],
      },
    ]);
    if ((insert as InsertResult).affected_rows !== 1) return null;
    return { id: Number((rows as Row[])[0].id), attempt: 1 };
  }

  /** Extends the lease of a run this process holds; false when it holds it no more. */
  async renew(app: string, id: number, owner: string, leaseMs: number): Promise<boolean> {
    const [result] = await this.db.transaction(app, [
      {
        sql: `UPDATE ${R} SET lease_until = ${this.dialect(app).epochMsNow} + ? WHERE id = ? AND owner = ? AND status = 'running'`,
        params: [leaseMs, id, owner],
        kind: 'write',
      },
    ]);
    return (result as InsertResult).affected_rows === 1;
  }

  async setAttempt(app: string, id: number, owner: string, attempt: number): Promise<void> {
    await this.db.transaction(app, [
      {
        sql: `UPDATE ${R} SET attempt = ? WHERE id = ? AND owner = ? AND status = 'running'`,
        params: [attempt, id, owner],
        kind: 'write',
      },
    ]);
  }

  /** Records how a held run ended; false when the lease had been lost meanwhile (nothing written). */
  async finish(
    app: string,
    id: number,
    owner: string,
    outcome: {
      status: Exclude<CronRunStatus, 'running' | 'abandoned'>;
      error: string | null;
      summary: Record<string, unknown> | null;
    },
  ): Promise<boolean> {
    const [result] = await this.db.transaction(app, [
      {
        sql:
          `UPDATE ${R} SET status = ?, finished_at = ${this.dialect(app).epochMsNow}, lease_until = NULL, error = ?, summary = ?` +
          ` WHERE id = ? AND owner = ? AND status = 'running'`,
        params: [
          outcome.status,
          outcome.error === null ? null : capped(outcome.error, MAX_ERROR),
          outcome.summary === null ? null : capped(JSON.stringify(outcome.summary), MAX_SUMMARY),
          id,
          owner,
        ],
        kind: 'write',
      },
    ]);
    return (result as InsertResult).affected_rows === 1;
  }

  /**
   * Marks runs whose lease ran out (by the database's clock) `abandoned`, then answers those of
   * them that have attempts left: candidates for `takeOver`.
   */
  async sweepAbandoned(
    app: string,
  ): Promise<{ id: number; job: string; scheduledAt: number; trigger: CronRunTrigger }[]> {
    await this.ensureTables(app);
    const now = this.dialect(app).epochMsNow;
    const [, rows] = await this.db.transaction(app, [
      {
        sql:
          `UPDATE ${R} SET status = 'abandoned', abandoned_by = owner, finished_at = ${now}, lease_until = NULL,` +
          ` error = 'its process stopped renewing the lease (it died or lost the database)'` +
          ` WHERE app = ? AND status = 'running' AND lease_until < ${now}`,
        params: [app],
        kind: 'write',
      },
      {
        sql: `SELECT id, job, scheduled_at, run_trigger FROM ${R} WHERE app = ? AND status = 'abandoned' AND attempt < max_attempts ORDER BY id LIMIT 100`,
        params: [app],
      },
    ]);
    return (rows as Row[]).map((row) => ({
      id: Number(row.id),
      job: String(row.job),
      scheduledAt: Number(row.scheduled_at),
      trigger: String(row.run_trigger) as CronRunTrigger,
    }));
  }

  /** Takes an abandoned run over for its next attempt; null when another process was first. */
  async takeOver(app: string, id: number, owner: string, leaseMs: number): Promise<HeldRun | null> {
    const now = this.dialect(app).epochMsNow;
    const [result, rows] = await this.db.transaction(app, [
      {
        sql:
          `UPDATE ${R} SET status = 'running', owner = ?, attempt = attempt + 1, lease_until = ${now} + ?,` +
          ` finished_at = NULL WHERE id = ? AND status = 'abandoned' AND attempt < max_attempts`,
        params: [owner, leaseMs, id],
        kind: 'write',
      },
      { sql: `SELECT attempt FROM ${R} WHERE id = ?`, params: [id] },
    ]);
    if ((result as InsertResult).affected_rows !== 1) return null;
    return { id, attempt: Number((rows as Row[])[0].attempt) };
  }

  /** Whether another run of the job is going (its lease alive): the overlap rule's question. */
  async otherRunning(app: string, job: string, id: number): Promise<boolean> {
    const rows = await this.db.query(
      app,
      `SELECT id FROM ${R} WHERE app = ? AND job = ? AND status = 'running' AND id <> ? AND lease_until >= ${this.dialect(app).epochMsNow} LIMIT 1`,
      [app, job, id],
    );
    return rows.length > 0;
  }

  /** The latest fire time of the job that any process claimed (manual runs aside), or null. */
  async lastScheduled(app: string, job: string): Promise<number | null> {
    await this.ensureTables(app);
    const [row] = await this.db.query(
      app,
      `SELECT MAX(scheduled_at) AS last FROM ${R} WHERE app = ? AND job = ? AND run_trigger <> 'manual'`,
      [app, job],
    );
    return row?.last === null || row?.last === undefined ? null : Number(row.last);
  }

  async get(app: string, id: number): Promise<CronRun> {
    const [row] = await this.db.query(app, `SELECT ${RUN_COLUMNS} FROM ${R} WHERE id = ?`, [id]);
    if (row === undefined) throw new SogomsError('NOT_FOUND', `No run ${id} of '${app}'`);
    return cronRunOf(row);
  }

  async list(app: string, job: string | null, limit: number): Promise<CronRun[]> {
    await this.ensureTables(app);
    const rows = await this.db.query(
      app,
      `SELECT ${RUN_COLUMNS} FROM ${R} WHERE app = ?${job === null ? '' : ' AND job = ?'} ORDER BY scheduled_at DESC, id DESC LIMIT ?`,
      job === null ? [app, limit] : [app, job, limit],
    );
    return rows.map(cronRunOf);
  }

  /** Deletes finished runs older than `before` (epoch ms); answers how many. */
  async purge(app: string, before: number): Promise<number> {
    await this.ensureTables(app);
    const [result] = await this.db.transaction(app, [
      {
        sql: `DELETE FROM ${R} WHERE app = ? AND status <> 'running' AND scheduled_at < ?`,
        params: [app, before],
        kind: 'write',
      },
    ]);
    return (result as InsertResult).affected_rows;
  }

  async setPaused(app: string, job: string, paused: boolean): Promise<void> {
    await this.ensureTables(app);
    await this.db.transaction(app, [
      {
        sql: this.dialect(app).upsert(
          J,
          ['app', 'job', 'paused', 'updated_at'],
          ['app', 'job'],
          ['paused', 'updated_at'],
        ),
        params: [app, job, paused ? 1 : 0, Date.now()],
        kind: 'write',
      },
    ]);
  }

  async pausedJobs(app: string): Promise<Set<string>> {
    await this.ensureTables(app);
    const rows = await this.db.query(app, `SELECT job FROM ${J} WHERE app = ? AND paused = 1`, [app]);
    return new Set(rows.map((row) => String(row.job)));
  }
}
