import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { AppConfig, LoadedConfig } from '@sogoms/config';
import type { AppCronConfig, CronJobDef } from './config/cron-job.js';

/**
 * The configuration cron runs on: the apps and their cron.yaml. A reload swaps both in one
 * assignment each; a run in progress keeps the job definition it started with.
 */
@Injectable()
export class CronSettings {
  /** Who holds a claim: `host:pid`, unique across the machines sharing a database. */
  readonly owner = `${hostname()}:${process.pid}`;
  private apps = new Map<string, AppConfig>();
  private crons = new Map<string, AppCronConfig>();
  private globalConfig: LoadedConfig['global'] | null = null;

  replace(config: LoadedConfig, crons: readonly AppCronConfig[]): void {
    this.globalConfig = config.global;
    this.apps = new Map(config.apps.map((app) => [app.name, app]));
    this.crons = new Map(crons.map((c) => [c.app, c]));
  }

  get global(): LoadedConfig['global'] {
    if (this.globalConfig === null) throw new Error('CronSettings used before replace()');
    return this.globalConfig;
  }

  /** Apps that have a cron.yaml (with jobs or not). */
  cronApps(): AppCronConfig[] {
    return [...this.crons.values()];
  }

  appConfig(name: string): AppConfig {
    const app = this.apps.get(name);
    if (app === undefined) throw new SogomsError('NOT_FOUND', `Unknown app '${name}'`);
    return app;
  }

  cronOf(app: string): AppCronConfig {
    this.appConfig(app);
    const cron = this.crons.get(app);
    if (cron === undefined) throw new SogomsError('NOT_FOUND', `App '${app}' has no cron.yaml`);
    return cron;
  }

  job(app: string, name: string): CronJobDef {
    const job = this.cronOf(app).jobs.find((j) => j.name === name);
    if (job === undefined) throw new SogomsError('NOT_FOUND', `No job '${name}' in cron.yaml of '${app}'`);
    return job;
  }

  jobs(): CronJobDef[] {
    return this.cronApps().flatMap((c) => c.jobs);
  }
}
