import { rmSync } from 'node:fs';
import { prettyLogRequested } from '@sogoms/common';
import {
  configRootFromArgs,
  FALLBACK_ENV,
  fallbackEnvValue,
  PARSED_CONFIG_ENV,
  parsedConfigPath,
} from '@sogoms/config';
import { fallbackStatuses, fallbackWarnings } from './database-fallback.notice.js';
import { ControlServer } from './control-server.js';
import { MetricsServer } from './metrics/metrics-server.js';
import { SupervisorMetrics } from './metrics/supervisor-metrics.js';
import { PidFile } from './pid-file.js';
import { Preflight, PreflightError } from './preflight.js';
import { findProjectRoot } from '@sogoms/common';
import { startupBanner } from './startup-banner.js';
import { StartupError, Supervisor } from './supervisor.js';
import { SupervisorLog } from './supervisor-log.js';

/**
 * sogoctl, the supervisor: `node dist/apps/ctl/src/main.js --config ./config` (what `npm start`
 * runs). Runs in the foreground; Ctrl-C stops every service in reverse dependency order.
 */
const main = async (): Promise<void> => {
  const configRoot = configRootFromArgs();
  // The children inherit the environment: `sogoctl --pretty` makes every service's log pretty.
  if (prettyLogRequested()) process.env.SOGOMS_LOG_PRETTY = '1';
  const projectRoot = findProjectRoot();
  // Which apps run on their database fallback is this supervisor's decision (preflight), not the
  // caller's; so is the parse cache its services read.
  delete process.env[FALLBACK_ENV];
  delete process.env[PARSED_CONFIG_ENV];

  let checked;
  try {
    checked = await new Preflight().run(configRoot, projectRoot);
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    process.stderr.write(`sogoctl: ${error.message}\n`);
    process.exit(1);
  }

  const { global, apps, supervisor: config, controlSocket } = checked;
  // Every service started from here on reads the same decision (libs/config database-fallback.ts).
  if (checked.fallbacks.size > 0) process.env[FALLBACK_ENV] = fallbackEnvValue(checked.fallbacks);
  // The services (and this process's reload checks) skip the YAML parser for unchanged files.
  const parsedConfig = parsedConfigPath(global.runDir);
  if (checked.parsedFiles.save(parsedConfig)) process.env[PARSED_CONFIG_ENV] = parsedConfig;
  const log = new SupervisorLog(config.services.map((service) => service.name));
  const supervisor = new Supervisor(config, {
    configRoot,
    projectRoot,
    runDir: global.runDir,
    log,
    fallbacks: fallbackStatuses(apps),
  });
  for (const line of fallbackWarnings(apps)) log.error(line);
  const pidFile = new PidFile(checked.pidFile);
  const metrics = global.metrics.enabled ? new SupervisorMetrics(() => supervisor.status()) : null;
  const metricsServer = metrics ? new MetricsServer(metrics, log) : null;

  let exiting = false;
  const shutdown = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    await supervisor.stopAll();
    await metricsServer?.close();
    await control.close();
    log.event(null, 'all services stopped');
    process.exit(code);
  };

  const control = new ControlServer(
    controlSocket,
    {
      status: () => supervisor.status(),
      restart: (service) => supervisor.restart(service),
      reload: () => supervisor.reload(),
      metrics: (report) => metrics?.keep(report),
      stop: async () => {
        log.event(null, 'stop requested over the control socket');
        const result = await supervisor.stopAll();
        // Answer first: shutdown() waits for this reply to be written before closing the socket.
        void shutdown(0);
        return result;
      },
    },
    log,
  );
  await control.listen();
  // Preflight found the port free; it serves before the services start, so none reports in vain.
  await metricsServer?.listen(global.metrics.port, global.metrics.host);
  pidFile.write();
  // Whatever way the process ends, no service outlives it and no stale files stay behind.
  process.on('exit', () => {
    supervisor.killAllNow();
    pidFile.remove();
    rmSync(controlSocket, { force: true });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (exiting) {
        log.event(null, `${signal} again: killing every service now`);
        process.exit(1);
      }
      log.event(null, `${signal}: stopping every service (again to kill them at once)`);
      void shutdown(0);
    });
  }
  // The terminal going away must not kill the supervisor and orphan its services; as a signal
  // from an operator, SIGHUP means what it means to the services: reload.
  process.on('SIGHUP', () => {
    if (!exiting) {
      supervisor.reload().catch((error: unknown) => {
        log.error(`reload refused: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  });

  log.event(null, `pid ${process.pid}, config ${configRoot}, run_dir ${global.runDir}`);
  try {
    await supervisor.startAll();
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    log.error(`${error.message}; stopping`);
    await shutdown(1);
    return;
  }
  if (!supervisor.isStopping) {
    for (const line of startupBanner(global, apps, supervisor.serviceNames)) log.event(null, line);
    await supervisor.prepareReloadCheck();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(
    `sogoctl: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
