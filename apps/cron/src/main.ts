import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { stopOnSignals, waitForStartDependencies } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ConfigError, ReloadAcknowledger, configRootFromArgs, loadConfig } from '@sogoms/config';
import { loadCronConfigs } from './config/cron-config.loader.js';
import { startCronMicroservice } from './cron.microservice.js';
import { CronSettings } from './cron-settings.js';
import { JobScheduler } from './schedule/job-scheduler.js';

/**
 * `node dist/apps/cron/src/main.js --config ./config`: runs the jobs of each app's cron.yaml,
 * each fire time once across every cron process. SIGHUP re-reads the files (a bad one keeps
 * the running jobs), SIGTERM stops.
 */
const bootstrap = async (): Promise<void> => {
  // Spawned early by the supervisor: code loaded, now wait for the services this one needs.
  await waitForStartDependencies();
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  const crons = loadCronConfigs(config.global.root, config.apps);
  const { nest } = installServiceLogger('cron', config.global.logLevel);
  const logger = new Logger('cron');
  const app = await startCronMicroservice({ config, crons }, { logger: nest });
  const settings = app.get(CronSettings);
  const scheduler = app.get(JobScheduler);
  logger.log(
    `listening; jobs: ${
      settings
        .jobs()
        .map((j) => `${j.app}/${j.name}`)
        .join(', ') || '(none)'
    }`,
  );

  const acks = new ReloadAcknowledger(config.global.runDir, 'cron');
  acks.started();
  process.on('SIGHUP', () => {
    try {
      const next = loadConfig(configRoot);
      const nextCrons = loadCronConfigs(next.global.root, next.apps);
      settings.replace(next, nextCrons);
      const { added, changed, removed } = scheduler.apply(nextCrons);
      logger.log(`reloaded: ${added.length} added, ${changed.length} changed, ${removed.length} removed`);
      acks.done({ ok: true });
    } catch (error) {
      // A bad file keeps the jobs that are running, as they are.
      logger.error(error instanceof Error ? error.message : String(error));
      acks.done({
        ok: false,
        error: error instanceof ConfigError ? error.message : 'the configuration did not load; unchanged',
      });
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
      : `cron failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
