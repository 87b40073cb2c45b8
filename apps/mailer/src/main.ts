import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { stopOnSignals, waitForStartDependencies } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ConfigError, ReloadAcknowledger, configRootFromArgs, loadConfig } from '@sogoms/config';
import { MailWorker } from './delivery/mail-worker.js';
import { startMailerMicroservice } from './mailer.microservice.js';
import { InboxWatchers } from './inbox/inbox-watchers.js';
import { MailerSettings } from './mailer-settings.js';
import { MailRules } from './rules/mail-rules.js';

/**
 * `node dist/apps/mailer/src/main.js --config ./config`: queues mail in each app's database
 * (through the db service) and delivers it. SIGHUP re-reads the apps' `smtp:`, `imap:` and mailrules.yaml, SIGTERM stops.
 */
const bootstrap = async (): Promise<void> => {
  // Spawned early by the supervisor: code loaded, now wait for the services this one needs.
  await waitForStartDependencies();
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  const { nest } = installServiceLogger('mailer', config.global.logLevel);
  const logger = new Logger('mailer');
  const app = await startMailerMicroservice({ config }, { logger: nest });
  const settings = app.get(MailerSettings);
  logger.log(
    `listening; apps with smtp: ${
      settings
        .mailApps()
        .map((a) => a.name)
        .join(', ') || '(none)'
    }`,
  );

  const acks = new ReloadAcknowledger(config.global.runDir, 'mailer');
  acks.started();
  process.on('SIGHUP', () => {
    try {
      const next = loadConfig(configRoot);
      // Rules first: a bad mailrules.yaml keeps everything as it was.
      app.get(MailRules).replace(next);
      settings.replace(next);
      app.get(MailWorker).wake();
      void app.get(InboxWatchers).sync();
      acks.done({ ok: true });
    } catch (error) {
      // A bad configuration keeps the current one.
      logger.error(error instanceof Error ? error.message : String(error));
      acks.done({ ok: false, error: 'the configuration did not load; unchanged' });
    }
  });
  stopOnSignals(async () => {
    logger.log('stopping');
    // The worker finishes the batch in flight and records it before the db client closes.
    await app.close().catch(() => undefined);
  });
};

bootstrap().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `mailer failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
