import { EXIT, type CliCommand } from '../cli-context.js';
import { runDirOf } from '../run-dir.lookup.js';
import type { ReloadResult } from '@sogoms/ipc';
import { LONG_TIMEOUT_MS, SupervisorClient } from '../supervisor-client.js';

/** `sogoms reload`: exit 1 unless every service was signalled and none refused the new files. */
export const reloadCommand: CliCommand = {
  async run(ctx) {
    const client = new SupervisorClient(runDirOf(ctx.configRoot));
    // Waits for the services' acknowledgements: a large schema takes a moment to rebuild.
    const { services } = (await client.call({ cmd: 'reload' }, LONG_TIMEOUT_MS)) as ReloadResult;
    if (services.length === 0) {
      ctx.out('no service takes a reload signal (reload_signal in sogoctl.yaml)');
      return EXIT.failed;
    }
    for (const s of services) {
      if (!s.signalled) ctx.out(`${s.name}: not running, not signalled`);
      else if (s.applied === true) ctx.out(`${s.name}: reloaded (pid ${s.pid})`);
      else if (s.applied === false) ctx.out(`${s.name}: reload refused, old configuration kept: ${s.error}`);
      else ctx.out(`${s.name}: ${s.signal} sent (pid ${s.pid})`);
    }
    return services.every((s) => s.signalled && s.applied !== false) ? EXIT.ok : EXIT.failed;
  },
};
