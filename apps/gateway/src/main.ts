import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { stopOnSignals } from '@sogoms/common';
import { ConfigError, ReloadAcknowledger, configRootFromArgs, loadGlobalConfig } from '@sogoms/config';
import { IpcClient, LogReporter, createClientProxy } from '@sogoms/ipc';
import qs from 'qs';
import { GatewayModule } from './gateway.module.js';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter.js';
import { DbClient } from './ipc/db.client.js';
import { connectDb } from './ipc/db-connection.js';
import { ModuleLoader } from './extensions/module-loader.js';
import { runtimeExtender } from './extensions/runtime-extender.js';
import { GatewayState } from './snapshot/gateway-state.js';
import { hostRewrite } from './routing/host-rewrite.js';

const bootstrap = async (): Promise<void> => {
  const configRoot = configRootFromArgs();
  const global = loadGlobalConfig(configRoot);
  const ipc = (service: string): IpcClient =>
    new IpcClient(createClientProxy(global, service), { timeoutMs: global.ipc.timeoutMs });
  const logsClient = ipc('logs');
  const logs = new LogReporter(logsClient, 'gateway');
  // Over IPC, or (`transport.kind: inprocess`) the db module in this process with its own pools.
  const dbConnection = await connectDb(configRoot, global, ipc, logsClient);
  const db = new DbClient(dbConnection.caller, () => dbConnection.close());
  // The apps' modules are loaded with the snapshot (before listen, and again on each reload).
  const state = await GatewayState.create(configRoot, runtimeExtender(new ModuleLoader({ db, logs }), logs), {
    runDir: global.runDir,
  });

  const adapter = new FastifyAdapter({
    bodyLimit: global.gateway.bodyLimitBytes,
    rewriteUrl: hostRewrite(state),
    // Bracket filters (`filter[a][gte]=1`) need qs; Fastify's default parser does not nest.
    routerOptions: { querystringParser: (query) => qs.parse(query, { depth: 5, arrayLimit: 100 }) },
  });
  // The API speaks JSON only: a text/plain body is a 415, not a string handed to a handler.
  adapter.getInstance().removeContentTypeParser('text/plain');

  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.register({ state, db, logs }),
    adapter,
    // Nest's own parsers would accept forms; JSON (Fastify's built-in parser) is all the API takes.
    { logger: ['error', 'warn', 'log'], bodyParser: false },
  );
  app.useGlobalFilters(new ErrorEnvelopeFilter(logs));
  // SIGTERM/SIGINT close the app (its shutdown hooks close the IPC clients) and exit 0.
  stopOnSignals(() => app.close());
  await app.listen(global.gateway.port, global.gateway.host);
  // The supervisor's `reload`: re-read config/apps without a restart; a bad config keeps the old one.
  // Pools first (in process), so that a new app's snapshot never serves before its pool exists.
  // The outcome goes to {run_dir}/gateway.reload.json: `sogoms reload` answers once it is there.
  const acks = new ReloadAcknowledger(global.runDir, 'gateway');
  acks.started();
  process.on('SIGHUP', () => {
    void dbConnection
      .reload()
      .then(() => state.reload())
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
