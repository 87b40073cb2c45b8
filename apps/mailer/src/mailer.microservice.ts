import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';
import { MailerModule, type MailerModuleOptions } from './mailer.module.js';

/** Boots the mailer on the configured transport (`{runDir}/mailer.sock` for unix): main.ts and tests. */
export const startMailerMicroservice = async (
  options: MailerModuleOptions,
  nest: { logger?: LoggerService | false } = {},
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(MailerModule.forRoot(options), {
    ...microserviceOptions(options.config.global, 'mailer'),
    ...(nest.logger === undefined ? {} : { logger: nest.logger }),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
};
