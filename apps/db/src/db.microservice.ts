import type { DynamicModule, INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { GlobalConfig } from '@sogoms/config';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';

/** Boots the db service's handlers on the configured transport (`{runDir}/db.sock` for unix). */
export const startDbMicroservice = async (
  global: GlobalConfig,
  module: DynamicModule,
  options: { logger?: LoggerService | false } = {},
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    ...microserviceOptions(global, 'db'),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
};
