import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { stopOnSignals, waitForStartDependencies } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ReloadAcknowledger, configRootFromArgs, loadConfig } from '@sogoms/config';
import { DbRuntime } from '@sogoms/db';
import { startDbMicroservice } from './db.microservice.js';
import { DbModule } from './db.module.js';

/**
 * `node dist/apps/db/src/main.js --config ./config`: opens one pool per app (creating demo
 * databases on first start), then listens. MariaDB being down does not stop it from starting:
 * app calls answer UNAVAILABLE until the server is back. SIGHUP reloads, SIGTERM stops.
 */
const bootstrap = async (): Promise<void> => {
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  // Spawned early by the supervisor: code and configuration loaded, now wait for the logs service.
  await waitForStartDependencies();
  const { nest } = installServiceLogger('db', config.global.logLevel);
  const logger = new Logger('db');
  const app = await startDbMicroservice(config.global, DbModule.forRoot({ configRoot, config }), {
    logger: nest,
  });
  const db = app.get(DbRuntime);
  logger.log(`listening; apps: ${db.registry.apps().join(', ') || '(none)'}`);

  // The outcome goes to {run_dir}/db.reload.json: `sogoms reload` answers once it is there.
  const acks = new ReloadAcknowledger(config.global.runDir, 'db');
  acks.started();
  process.on('SIGHUP', () => {
    db.reload()
      .then((changes) => {
        if (changes) logger.log(`reloaded: ${JSON.stringify(changes)}`);
        else logger.warn('reload failed; configuration unchanged');
        acks.done(changes ? { ok: true } : { ok: false, error: 'the configuration did not load; unchanged' });
      })
      .catch((error: unknown) => {
        logger.error(`reload failed: ${String(error)}`);
        acks.done({ ok: false, error: String(error) });
      });
  });
  stopOnSignals(async () => {
    logger.log('stopping');
    // Its shutdown hooks close the pools and the logs client.
    await app.close().catch(() => undefined);
  });
};

bootstrap().catch((error: unknown) => {
  new Logger('db').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
