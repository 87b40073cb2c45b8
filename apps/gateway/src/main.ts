import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { stopOnSignals, waitForStartDependencies } from '@sogoms/common';
import { installServiceLogger } from '@sogoms/common/logging';
import { ConfigError, ReloadAcknowledger, configRootFromArgs, loadGlobalConfig } from '@sogoms/config';
import { LogReporter } from '@sogoms/ipc';
import qs from 'qs';
import { GatewayModule } from './gateway.module.js';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter.js';
import { requestLogHook } from './http/request-log.js';
import { DB_CONNECTION, type DbConnection } from './ipc/db-connection.js';
import { GatewayState } from './snapshot/gateway-state.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { hostRewrite } from './routing/host-rewrite.js';

const bootstrap = async (): Promise<void> => {
  const configRoot = configRootFromArgs();
  const global = loadGlobalConfig(configRoot);
  const log = installServiceLogger('gateway', global.logLevel);
  // Fastify's URL rewrite is set before Nest builds the state; no request arrives before listen.
  const started: { state?: GatewayState } = {};
  const stateOf = (): GatewayState => {
    if (started.state === undefined) throw new Error('gateway state read before start');
    return started.state;
  };

  const adapter = new FastifyAdapter({
    bodyLimit: global.gateway.bodyLimitBytes,
    // X-Forwarded-For is believed only from the proxies named in sogoms.yaml (request.ip).
    trustProxy: global.gateway.trustProxy.length > 0 ? global.gateway.trustProxy : false,
    rewriteUrl: hostRewrite(stateOf),
    // Bracket filters (`filter[a][gte]=1`) need qs; Fastify's default parser does not nest.
    routerOptions: { querystringParser: (query) => qs.parse(query, { depth: 5, arrayLimit: 100 }) },
  });
  // The API speaks JSON only: a text/plain body is a 415, not a string handed to a handler.
  adapter.getInstance().removeContentTypeParser('text/plain');
  if (global.gateway.requestLogPercent > 0) {
    adapter.getInstance().addHook('onResponse', requestLogHook(log.pino, global.gateway.requestLogPercent));
  }

  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot({ configRoot, global }),
    adapter,
    // Nest's own parsers would accept forms; JSON (Fastify's built-in parser) is all the API takes.
    { logger: log.nest, bodyParser: false },
  );
  const gatewayState = app.get(GatewayState);
  started.state = gatewayState;
  const dbConnection = app.get<DbConnection>(DB_CONNECTION);
  // Routes are registered at listen, so a hook added here covers every one of them.
  if (global.metrics.enabled) adapter.getInstance().addHook('onResponse', app.get(HttpMetrics).onResponse);
  app.useGlobalFilters(new ErrorEnvelopeFilter(app.get(LogReporter)));
  // SIGTERM/SIGINT close the app (its shutdown hooks close the IPC clients) and exit 0.
  stopOnSignals(() => app.close());
  // Spawned early by the supervisor: the apps' configurations and schemas are read (nothing
  // before here calls another service), now wait for the services this one needs, then serve.
  await waitForStartDependencies();
  await app.listen(global.gateway.port, global.gateway.host);
  // The supervisor's `reload`: re-read config/apps without a restart; a bad config keeps the old one.
  // Pools first (in process), so that a new app's snapshot never serves before its pool exists.
  // The outcome goes to {run_dir}/gateway.reload.json: `sogoms reload` answers once it is there.
  const acks = new ReloadAcknowledger(global.runDir, 'gateway');
  acks.started();
  process.on('SIGHUP', () => {
    void dbConnection
      .reload()
      .then(() => gatewayState.reload())
      .then(
        (result) => acks.done(result.ok ? { ok: true } : { ok: false, error: result.error }),
        (error: unknown) =>
          acks.done({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
};

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
