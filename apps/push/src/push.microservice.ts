import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';
import { PushModule, type PushModuleOptions } from './push.module.js';

/** Boots the push service on the configured transport (`{runDir}/push.sock` for unix): main.ts and tests. */
export const startPushMicroservice = async (
  options: PushModuleOptions,
  nest: { logger?: LoggerService | false } = {},
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(PushModule.forRoot(options), {
    ...microserviceOptions(options.config.global, 'push'),
    ...(nest.logger === undefined ? {} : { logger: nest.logger }),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
};
