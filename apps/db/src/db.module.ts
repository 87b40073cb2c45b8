import { Module, type DynamicModule } from '@nestjs/common';
import { DbService } from '@sogoms/db';
import { DbController } from './db.controller.js';

/** What main.ts builds before Nest starts: the db module (`@sogoms/db`) over pools already opened once. */
export interface DbDependencies {
  service: DbService;
}

/** The db service process: its message handlers over the db module. */
@Module({})
export class DbModule {
  static register(deps: DbDependencies): DynamicModule {
    return {
      module: DbModule,
      controllers: [DbController],
      providers: [{ provide: DbService, useValue: deps.service }],
    };
  }
}
