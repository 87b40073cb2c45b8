import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { findProjectRoot, stopOnSignals } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ConfigError, ReloadAcknowledger, configRootFromArgs, loadConfig } from '@sogoms/config';
import { AdminModule } from './admin.module.js';
import { AdminSettings } from './admin-settings.js';
import { installAdminHttp } from './http/admin-http.js';
import { AdminSessionStore } from './session/admin-session-store.js';

/**
 * `node dist/apps/admin/src/main.js --config ./config`: the admin web UI on `admin.port`. SIGHUP
 * re-reads the apps (a new app appears at once), SIGTERM stops.
 */
const bootstrap = async (): Promise<void> => {
  const configRoot = configRootFromArgs();
  const config = loadConfig(configRoot);
  const { admin } = config.global;
  const log = installServiceLogger('admin', config.global.logLevel);
  const adapter = new FastifyAdapter({
    // request.ip and request.protocol (Secure cookie) believe X-Forwarded-* only from these.
    trustProxy: admin.trustProxy.length > 0 ? admin.trustProxy : false,
    bodyLimit: 256 * 1024,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AdminModule.forRoot({ configRoot, config }),
    adapter,
    {
      logger: log.nest,
      bodyParser: false,
    },
  );
  const sessions = app.get(AdminSessionStore);
  await installAdminHttp(app, { projectRoot: findProjectRoot(), sessions, sessionIdleS: admin.sessionIdleS });
  stopOnSignals(async () => {
    sessions.close();
    await app.close();
  });
  await app.listen(admin.port, admin.host);

  const settings = app.get(AdminSettings);
  const acks = new ReloadAcknowledger(config.global.runDir, 'admin');
  acks.started();
  process.on('SIGHUP', () => {
    try {
      settings.replace(loadConfig(configRoot));
      acks.done({ ok: true });
    } catch (error) {
      // A bad configuration keeps the current one.
      log.nest.error(error instanceof Error ? error.message : String(error));
      acks.done({ ok: false, error: 'the configuration did not load; unchanged' });
    }
  });
};

bootstrap().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `admin failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
