import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { LoadedConfig } from '@sogoms/config';
import { microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';
import type { Clock } from './clock.js';
import { LogsModule } from './logs.module.js';
import { LogsSettingsStore, logsSettingsFrom } from './logs-settings.js';

export interface StartedLogsService {
  app: INestMicroservice;
  settings: LogsSettingsStore;
}

/** Boots the logs microservice on the configured transport (used by main.ts and tests). */
export const startLogsService = async (
  config: LoadedConfig,
  options: { clock?: Clock; logger?: LoggerService | LogLevel[] | false } = {},
): Promise<StartedLogsService> => {
  const settings = new LogsSettingsStore(logsSettingsFrom(config));
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(LogsModule.register(settings, config.global, options.clock), {
    ...microserviceOptions(config.global, 'logs'),
    logger: options.logger ?? ['error', 'warn', 'log'],
  });
  // A query's SogomsError (BAD_REQUEST) crosses IPC with its code.
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return { app, settings };
};
