import { Inject, Injectable } from '@nestjs/common';
import { IpcClient, ipcClientToken, LOGS_PATTERNS, type LogPage } from '@sogoms/ipc';
import { LOG_PAGE_SIZE, logQueryOf } from './log-query.js';

export interface LogsView {
  app: string;
  log: LogPage;
  text: string;
  pageNumber: number;
  pages: number;
  tailQuery: string;
}

/** One app's log entries through the logs service: by type, day and text, newest first, paged. */
@Injectable()
export class LogsService {
  constructor(@Inject(ipcClientToken('logs')) private readonly logs: IpcClient) {}

  async view(app: string, query: Record<string, unknown>): Promise<LogsView> {
    const request = { ...logQueryOf(query), app };
    const page = await this.logs.call<LogPage>(LOGS_PATTERNS.query, request);
    const tail = new URLSearchParams({ type: page.type, day: page.day, ...(request.text === undefined ? {} : { text: request.text }) });
    return {
      app,
      log: page,
      text: request.text ?? '',
      pageNumber: Math.floor((request.offset ?? 0) / LOG_PAGE_SIZE) + 1,
      pages: Math.max(1, Math.ceil(page.total / LOG_PAGE_SIZE)),
      tailQuery: tail.toString(),
    };
  }
}
