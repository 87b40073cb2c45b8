import { Module, type DynamicModule } from '@nestjs/common';
import type { GlobalConfig } from '@sogoms/config';
import { MetricsModule } from '@sogoms/metrics';
import { Clock, SystemClock } from './clock.js';
import { LogFileWriter } from './log-file-writer.js';
import { LogReader } from './log-reader.js';
import { LogRetentionService } from './log-retention.service.js';
import { LogsController } from './logs.controller.js';
import { LogsSettingsStore } from './logs-settings.js';
import { LogsService } from './logs.service.js';

/** Everything the logs process runs. */
@Module({})
export class LogsModule {
  static register(
    settings: LogsSettingsStore,
    global: GlobalConfig,
    clock: Clock = new SystemClock(),
  ): DynamicModule {
    return {
      module: LogsModule,
      imports: [MetricsModule.forService('logs', global)],
      controllers: [LogsController],
      providers: [
        { provide: LogsSettingsStore, useValue: settings },
        { provide: Clock, useValue: clock },
        LogFileWriter,
        LogsService,
        LogReader,
        LogRetentionService,
      ],
    };
  }
}
