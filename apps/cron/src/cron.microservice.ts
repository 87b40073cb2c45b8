import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';
import { CronModule, type CronModuleOptions } from './cron.module.js';
import { CronSettings } from './cron-settings.js';
import { JobScheduler } from './schedule/job-scheduler.js';

/** Boots cron on the configured transport (`{runDir}/cron.sock` for unix) and schedules its jobs: main.ts and tests. */
export const startCronMicroservice = async (
  options: CronModuleOptions,
  nest: { logger?: LoggerService | false } = {},
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(CronModule.forRoot(options), {
    ...microserviceOptions(options.config.global, 'cron'),
    ...(nest.logger === undefined ? {} : { logger: nest.logger }),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  app.get(JobScheduler).apply(app.get(CronSettings).cronApps());
  return app;
};
