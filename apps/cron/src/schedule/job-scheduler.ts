import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { jobKey, type AppCronConfig, type CronJobDef } from '../config/cron-job.js';
import { CronRunsRepository } from '../runs/cron-runs.repository.js';
import { RunCoordinator } from '../runs/run-coordinator.js';
import { latestFireTimeBetween } from './fire-times.js';

interface Scheduled {
  def: CronJobDef;
  cron: CronJob | null;
  /** The fire time the cron job waits for: at its tick, that is the fire time being run. */
  expected: number | null;
}

const registryName = (key: string): string => `sogoms:${key}`;

/**
 * The jobs of every app in @nestjs/schedule's registry (one `cron` CronJob each, in the job's
 * zone). A reload replaces only the jobs whose definition changed, stops removed ones and leaves
 * the others as they are. Each tick hands its fire time to the RunCoordinator.
 */
@Injectable()
export class JobScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('cron');
  private readonly jobs = new Map<string, Scheduled>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly coordinator: RunCoordinator,
    private readonly repo: CronRunsRepository,
  ) {}

  /** Answers what changed: added, changed, removed job keys. */
  apply(crons: readonly AppCronConfig[]): { added: string[]; changed: string[]; removed: string[] } {
    const next = new Map(
      crons.flatMap((c) => c.jobs.map((job) => [jobKey(job.app, job.name), job] as const)),
    );
    const result = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
    for (const [key, scheduled] of this.jobs) {
      const def = next.get(key);
      if (def === undefined) {
        this.unschedule(key, scheduled);
        result.removed.push(key);
      } else if (def.fingerprint !== scheduled.def.fingerprint) {
        this.unschedule(key, scheduled);
        this.schedule(key, def);
        result.changed.push(key);
      } else scheduled.def = def;
    }
    for (const [key, def] of next) {
      if (this.jobs.has(key)) continue;
      this.schedule(key, def);
      result.added.push(key);
    }
    return result;
  }

  /** The live definition of a job (reloads may replace it). */
  scheduled(key: string): CronJobDef | undefined {
    return this.jobs.get(key)?.def;
  }

  onApplicationShutdown(): void {
    for (const [key, scheduled] of this.jobs) this.unschedule(key, scheduled);
  }

  private schedule(key: string, def: CronJobDef): void {
    const scheduled: Scheduled = { def, cron: null, expected: null };
    this.jobs.set(key, scheduled);
    if (!def.enabled) return;
    const cron = CronJob.from({
      cronTime: def.schedule,
      timeZone: def.timezone,
      name: registryName(key),
      start: false,
      onTick: () => this.tick(key),
    });
    this.registry.addCronJob(registryName(key), cron);
    cron.start();
    scheduled.cron = cron;
    scheduled.expected = cron.nextDate().toMillis();
    if (def.catchUp === 'last') this.catchUp(def, scheduled.expected);
  }

  private unschedule(key: string, scheduled: Scheduled): void {
    this.jobs.delete(key);
    if (scheduled.cron === null) return;
    void scheduled.cron.stop();
    if (this.registry.doesExist('cron', registryName(key))) this.registry.deleteCronJob(registryName(key));
  }

  private tick(key: string): void {
    const scheduled = this.jobs.get(key);
    if (scheduled?.cron == null || scheduled.expected === null) return;
    const scheduledAt = scheduled.expected;
    // `cron` re-arms before calling onTick: its next date is the following fire time.
    scheduled.expected = scheduled.cron.nextDate().toMillis();
    this.run(scheduled.def, scheduledAt, 'schedule');
  }

  /** `catch_up: last`: the latest fire time missed since the job last ran anywhere, once. */
  private catchUp(def: CronJobDef, firstUpcoming: number): void {
    this.repo
      .lastScheduled(def.app, def.name)
      .then((last) => {
        if (last === null) return;
        const missed = latestFireTimeBetween(def.schedule, def.timezone, last, firstUpcoming - 1);
        if (missed !== null && missed > last) this.run(def, missed, 'catch_up');
      })
      .catch((error: unknown) => this.logger.error(`${def.app}/${def.name}: catch-up: ${String(error)}`));
  }

  private run(def: CronJobDef, scheduledAt: number, trigger: 'schedule' | 'catch_up'): void {
    this.coordinator.fire(def, scheduledAt, trigger).catch((error: unknown) => {
      this.logger.error(
        `${def.app}/${def.name} at ${new Date(scheduledAt).toISOString()}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
