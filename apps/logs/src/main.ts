import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { stopOnSignals, waitForStartDependencies } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ConfigError, configRootFromArgs, loadConfig } from '@sogoms/config';
import { startLogsService } from './logs.bootstrap.js';
import { logsSettingsFrom } from './logs-settings.js';

const bootstrap = async (): Promise<void> => {
  // Spawned early by the supervisor: code loaded, now wait for the services this one needs.
  await waitForStartDependencies();
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  const { nest } = installServiceLogger('logs', config.global.logLevel);
  const { app, settings } = await startLogsService(config, { logger: nest });
  // SIGTERM/SIGINT close the app, which flushes and closes every log file, and exit 0.
  stopOnSignals(() => app.close());
  // `sogoms reload`: learn new apps and retention; a bad configuration keeps the current one.
  process.on('SIGHUP', () => {
    try {
      settings.replace(logsSettingsFrom(loadConfig(configRoot)));
    } catch (error) {
      new Logger('LogsReload').error(error instanceof Error ? error.message : String(error));
    }
  });
};

bootstrap().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `logs failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
