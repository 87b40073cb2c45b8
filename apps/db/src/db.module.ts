import { Module, type DynamicModule } from '@nestjs/common';
import { LogReporter } from '@sogoms/ipc';
import { DbCounters } from './db-counters.js';
import { DbController } from './db.controller.js';
import { DbService } from './db.service.js';
import { PoolRegistry } from './pool-registry.js';

/** What main.ts builds before Nest starts: the pools (already opened once) and the reporter. */
export interface DbDependencies {
  registry: PoolRegistry;
  counters: DbCounters;
  logs: LogReporter;
}

/** The db service process: everything it runs, in one list. */
@Module({})
export class DbModule {
  static register(deps: DbDependencies): DynamicModule {
    return {
      module: DbModule,
      controllers: [DbController],
      providers: [
        { provide: PoolRegistry, useValue: deps.registry },
        { provide: DbCounters, useValue: deps.counters },
        { provide: LogReporter, useValue: deps.logs },
        {
          provide: DbService,
          inject: [PoolRegistry, DbCounters, LogReporter],
          useFactory: (registry: PoolRegistry, counters: DbCounters, logs: LogReporter) =>
            new DbService(registry, counters, logs),
        },
      ],
    };
  }
}
