// Its own entry: it loads pino and Nest's Logger, which the CLI (started for each command) does without.
export { createServiceLog, type ServiceLogOptions } from './service-log.js';
export { prettyLogRequested } from './pretty-log-requested.js';
export { PinoLoggerService } from './pino-logger.service.js';
export { installServiceLogger, type ServiceLogger } from './install-service-logger.js';
