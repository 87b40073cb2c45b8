import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'pino';
import { PinoLoggerService } from './pino-logger.service.js';
import { prettyLogRequested } from './pretty-log-requested.js';
import { createServiceLog } from './service-log.js';

export interface ServiceLogger {
  /** For hot paths (the request log): pino itself. */
  pino: Logger;
  /** For Nest (`NestFactory.create(…, { logger })`). */
  nest: PinoLoggerService;
}

/**
 * A service's log, set up once at start: JSON lines on stdout (pretty on request), and Nest's
 * static Logger routed through it, so that `new Logger(context)` writes there before the app exists.
 */
export const installServiceLogger = (service: string, level: string): ServiceLogger => {
  const pino = createServiceLog(service, { level, pretty: prettyLogRequested() });
  const nest = new PinoLoggerService(pino);
  NestLogger.overrideLogger(nest);
  return { pino, nest };
};
