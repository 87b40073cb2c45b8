import { Logger } from '@nestjs/common';
import { loadConfig, type GlobalConfig } from '@sogoms/config';
import { LogReporter, type IpcClient, type ServiceCaller } from '@sogoms/ipc';
import type { Registry } from 'prom-client';
import { listenInProcessDbSocket } from './in-process-db.socket.js';

/** Injection token of the gateway's DbConnection (built at start by GatewayIpcModule). */
export const DB_CONNECTION = Symbol('sogoms.db_connection');

/** How the gateway reaches the db module, and what the transport asks of it over its life. */
export interface DbConnection {
  caller: ServiceCaller;
  /** SIGHUP: in process, the pools follow the configuration (before the apps' snapshot does). Never rejects. */
  reload(): Promise<void>;
  close(): Promise<void>;
  /** In process, the pools are this process's: their metrics go on its registry. */
  registerMetrics(registry: Registry): void;
}

/**
 * `transport.kind: inprocess`: the gateway opens the apps' pools itself and calls the db module
 * directly (slow queries and db errors still go to the logs service, as source `db`). Any other
 * transport: the db service over IPC.
 */
export const connectDb = async (
  configRoot: string,
  global: GlobalConfig,
  dbClient: IpcClient,
  logsClient: IpcClient,
): Promise<DbConnection> => {
  // The IPC client is Nest's (IpcModule): it closes itself on shutdown.
  if (global.transport.kind !== 'inprocess') {
    return {
      caller: dbClient,
      reload: () => Promise.resolve(),
      close: () => Promise.resolve(),
      registerMetrics: () => undefined,
    };
  }
  // Loaded only here: over IPC the gateway needs none of the db module (mysql2 and its pools).
  const { DbRuntime, InProcessDbCaller, registerDbMetrics } = await import('@sogoms/db');
  const logger = new Logger('db');
  const runtime = await DbRuntime.start(
    configRoot,
    loadConfig(configRoot),
    new LogReporter(logsClient, 'db'),
  );
  const caller = new InProcessDbCaller(runtime.service, global.ipc.timeoutMs);
  const socket = await listenInProcessDbSocket(global, caller);
  logger.log(`in process; apps: ${runtime.registry.apps().join(', ') || '(none)'}`);
  return {
    caller,
    reload: async () => {
      try {
        const changes = await runtime.reload();
        if (changes) logger.log(`pools reloaded: ${JSON.stringify(changes)}`);
        else logger.warn('pools not reloaded; configuration unchanged');
      } catch (error) {
        logger.error(`pools not reloaded: ${String(error)}`);
      }
    },
    close: async () => {
      await socket.close();
      await runtime.close();
    },
    registerMetrics: (registry) => registerDbMetrics(registry, runtime),
  };
};
