import { Injectable } from '@nestjs/common';
import { Clock } from './clock.js';
import { isSafeAppName, SYSTEM_APP, utcDay, type LogType } from './log-file-name.js';
import { LogFileWriter } from './log-file-writer.js';
import { toLogLine } from './log-line.js';
import { LogsSettingsStore } from './logs-settings.js';

@Injectable()
export class LogsService {
  constructor(
    private readonly settings: LogsSettingsStore,
    private readonly writer: LogFileWriter,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one entry. The file is chosen by the configured app names only: an unknown name,
   * and anything path-like (`../x`), goes to the `sogoms-...` file, with the name kept as data.
   */
  record(type: LogType, payload: unknown): void {
    const now = this.clock.now();
    const line = toLogLine(payload, now);
    const fileApp = isSafeAppName(line.app) && this.settings.isKnownApp(line.app) ? line.app : SYSTEM_APP;
    this.writer.append(fileApp, type, utcDay(now), JSON.stringify(line));
  }
}
