import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { LoadedConfig } from '@sogoms/config';
import { IpcModule } from '@sogoms/ipc';
import { MetricsModule } from '@sogoms/metrics';
import type { AppCronConfig } from './config/cron-job.js';
import { CronController } from './cron.controller.js';
import { CronService } from './cron.service.js';
import { CronSettings } from './cron-settings.js';
import { HttpJobRunner } from './jobs/http-job.runner.js';
import { JobRunners } from './jobs/job-runners.js';
import { QueryEmailJobRunner } from './jobs/query-email-job.runner.js';
import { ServiceJobRunner } from './jobs/service-job.runner.js';
import { CronDatabase } from './runs/cron-database.js';
import { CronRunsRepository } from './runs/cron-runs.repository.js';
import { RunCoordinator } from './runs/run-coordinator.js';
import { RunExecutor } from './runs/run-executor.js';
import { CronRunMetrics } from './runs/cron-run.metrics.js';
import { RunLog } from './runs/run-log.js';
import { RunMaintenance } from './runs/run-maintenance.js';
import { JobScheduler } from './schedule/job-scheduler.js';

export interface CronModuleOptions {
  config: LoadedConfig;
  crons: AppCronConfig[];
}

/** Everything the cron process runs: its handlers, the scheduler, the runs over the db service. */
@Module({})
export class CronModule {
  static forRoot({ config, crons }: CronModuleOptions): DynamicModule {
    return {
      module: CronModule,
      imports: [
        ScheduleModule.forRoot(),
        MetricsModule.forService('cron', config.global),
        IpcModule.forClients(config.global, ['db', 'mailer', 'logs']),
      ],
      controllers: [CronController],
      providers: [
        {
          provide: CronSettings,
          useFactory: (): CronSettings => {
            const settings = new CronSettings();
            settings.replace(config, crons);
            return settings;
          },
        },
        CronDatabase,
        CronRunsRepository,
        HttpJobRunner,
        ServiceJobRunner,
        QueryEmailJobRunner,
        JobRunners,
        CronRunMetrics,
        RunLog,
        RunExecutor,
        RunCoordinator,
        RunMaintenance,
        JobScheduler,
        CronService,
      ],
    };
  }
}
