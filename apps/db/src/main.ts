import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { configRootFromArgs, loadConfig } from '@sogoms/config';
import { createClientProxy, IpcClient, LogReporter, microserviceOptions, RpcErrorFilter } from '@sogoms/ipc';
import { ConfigReloader } from './config-reloader.js';
import { DatabaseInitializer } from './database-initializer.js';
import { DbCounters } from './db-counters.js';
import { dbSettingsFrom } from './db-settings.js';
import { DbModule } from './db.module.js';
import { PoolRegistry } from './pool-registry.js';

/**
 * `node dist/apps/db/src/main.js --config ./config`: opens one pool per app (creating demo
 * databases on first start), then listens. MariaDB being down does not stop it from starting:
 * app calls answer UNAVAILABLE until the server is back. SIGHUP reloads, SIGTERM stops.
 */
const bootstrap = async (): Promise<void> => {
  const logger = new Logger('db');
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  const logsClient = new IpcClient(createClientProxy(config.global, 'logs'), {
    timeoutMs: config.global.ipc.timeoutMs,
  });
  // The logs service may start later or restart: connect in the background, emits meanwhile are dropped.
  logsClient.connect().catch(() => undefined);
  const logs = new LogReporter(logsClient, 'db');
  const counters = new DbCounters();
  const registry = new PoolRegistry(dbSettingsFrom(config.global), new DatabaseInitializer(), logs);
  await registry.apply(dbSettingsFrom(config.global), config.apps);
  const reloader = new ConfigReloader(configRoot, registry, logs);

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    DbModule.register({ registry, counters, logs }),
    microserviceOptions(config.global, 'db'),
  );
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  logger.log(`listening; apps: ${registry.apps().join(', ') || '(none)'}`);

  process.on('SIGHUP', () => {
    reloader
      .reload()
      .then((changes) => {
        if (changes) logger.log(`reloaded: ${JSON.stringify(changes)}`);
        else logger.warn('reload failed; configuration unchanged');
      })
      .catch((error: unknown) => logger.error(`reload failed: ${String(error)}`));
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    logger.log('stopping');
    void (async () => {
      await app.close().catch(() => undefined);
      await registry.close();
      await logsClient.close().catch(() => undefined);
      process.exit(0);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

bootstrap().catch((error: unknown) => {
  new Logger('db').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
