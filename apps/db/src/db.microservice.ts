import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { GlobalConfig } from '@sogoms/config';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';

/** Boots the db service's handlers on the configured transport (`{runDir}/db.sock` for unix). */
export const startDbMicroservice = async (
  global: GlobalConfig,
  module: DynamicModule,
  options: { logger?: false } = {},
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    ...microserviceOptions(global, 'db'),
    ...(options.logger === false ? { logger: false } : {}),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
};
