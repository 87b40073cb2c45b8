import { Controller, Get, Param, Query, Render } from '@nestjs/common';
import { RequiresApp } from '../auth/access.decorators.js';
import { LogsService, type LogsView } from './logs.service.js';

/** An app's logs: by type, day and text, newest first, paged; a live tail polled by htmx. */
@Controller('apps/:app/logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @RequiresApp('logs', 'read')
  @Get()
  @Render('logs')
  list(@Param('app') app: string, @Query() query: Record<string, unknown>): Promise<LogsView> {
    return this.logs.view(app, query);
  }

  @RequiresApp('logs', 'read')
  @Get('tail')
  @Render('log-table')
  tail(@Param('app') app: string, @Query() query: Record<string, unknown>): Promise<LogsView> {
    return this.logs.view(app, { ...query, page: '1' });
  }
}
