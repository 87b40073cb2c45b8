import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { GlobalConfig } from '@sogoms/config';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';
import { DbModule, type DbDependencies } from './db.module.js';

/** Boots the db service's handlers on the configured transport (`{runDir}/db.sock` for unix). */
export const startDbMicroservice = async (
  global: GlobalConfig,
  deps: DbDependencies,
  options: { logger?: false } = {},
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(DbModule.register(deps), {
    ...microserviceOptions(global, 'db'),
    ...(options.logger === false ? { logger: false } : {}),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
};
