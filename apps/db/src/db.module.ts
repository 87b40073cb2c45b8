import { setTimeout as delay } from 'node:timers/promises';
import {
  Inject,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { LoadedConfig } from '@sogoms/config';
import { DbRuntime, DbService, registerDbMetrics } from '@sogoms/db';
import { IpcClient, IpcModule, LogReporter, ipcClientToken } from '@sogoms/ipc';
import { MetricsModule, ServiceMetrics } from '@sogoms/metrics';
import { DbController } from './db.controller.js';

const LOGS_CONNECT_WAIT_MS = 1_000;

/** What the db service is started with: the config folder and its loaded configuration. */
export interface DbModuleOptions {
  configRoot: string;
  config: LoadedConfig;
}

/** The db service process: its message handlers over the db module (`@sogoms/db`). */
@Module({})
export class DbModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Optional() @Inject(DbRuntime) private readonly runtime?: DbRuntime,
    @Optional() @Inject(ServiceMetrics) private readonly metrics?: ServiceMetrics,
  ) {}

  /** Opens one pool per app (creating demo databases on first start) before the handlers listen. */
  static forRoot({ configRoot, config }: DbModuleOptions): DynamicModule {
    return {
      module: DbModule,
      imports: [MetricsModule.forService('db', config.global), IpcModule.forClients(config.global, ['logs'])],
      controllers: [DbController],
      providers: [
        {
          provide: LogReporter,
          inject: [ipcClientToken('logs')],
          // A moment for the logs service, so that init failures at start are not dropped; it may
          // also be down, then entries are dropped (and counted) until the client reconnects.
          useFactory: async (logs: IpcClient): Promise<LogReporter> => {
            await Promise.race([logs.connect().catch(() => undefined), delay(LOGS_CONNECT_WAIT_MS)]);
            return new LogReporter(logs, 'db');
          },
        },
        {
          provide: DbRuntime,
          inject: [LogReporter],
          useFactory: (logs: LogReporter): Promise<DbRuntime> => DbRuntime.start(configRoot, config, logs),
        },
        {
          provide: DbService,
          inject: [DbRuntime],
          useFactory: (runtime: DbRuntime): DbService => runtime.service,
        },
      ],
    };
  }

  /** Over a DbService opened by the caller (specs that read its recorded logs and counters); the caller closes it. */
  static forService(service: DbService): DynamicModule {
    return {
      module: DbModule,
      controllers: [DbController],
      providers: [{ provide: DbService, useValue: service }],
    };
  }

  onModuleInit(): void {
    if (this.runtime && this.metrics) registerDbMetrics(this.metrics.registry, this.runtime);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime?.close();
  }
}
