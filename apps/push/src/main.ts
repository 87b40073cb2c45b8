import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { stopOnSignals, waitForStartDependencies } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ConfigError, ReloadAcknowledger, configRootFromArgs, loadConfig } from '@sogoms/config';
import { startPushMicroservice } from './push.microservice.js';
import { PushSettings } from './push-settings.js';

/**
 * `node dist/apps/push/src/main.js --config ./config`: the MQTT broker (or a publisher to an
 * external one) and each app's event outbox. SIGHUP re-reads the apps (their token secrets and
 * `push:`), SIGTERM stops.
 */
const bootstrap = async (): Promise<void> => {
  // Spawned early by the supervisor: code loaded, now wait for the services this one needs.
  await waitForStartDependencies();
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  const { nest } = installServiceLogger('push', config.global.logLevel);
  const logger = new Logger('push');
  const app = await startPushMicroservice({ config }, { logger: nest });
  const settings = app.get(PushSettings);
  logger.log(
    `listening (broker: ${settings.push.broker}); apps with push: ${
      settings
        .pushApps()
        .map((a) => a.name)
        .join(', ') || '(none)'
    }`,
  );

  const acks = new ReloadAcknowledger(config.global.runDir, 'push');
  acks.started();
  process.on('SIGHUP', () => {
    try {
      settings.replace(loadConfig(configRoot));
      acks.done({ ok: true });
    } catch (error) {
      // A bad configuration keeps the current one.
      logger.error(error instanceof Error ? error.message : String(error));
      acks.done({ ok: false, error: 'the configuration did not load; unchanged' });
    }
  });
  stopOnSignals(async () => {
    logger.log('stopping');
    await app.close().catch(() => undefined);
  });
};

bootstrap().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `push failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
