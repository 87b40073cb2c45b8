import { EXIT, type CliCommand } from '../cli-context.js';
import { runDirOf } from '../run-dir.lookup.js';
import type { RestartResult } from '@sogoms/ipc';
import { LONG_TIMEOUT_MS, SupervisorClient } from '../supervisor-client.js';

/** `sogoms restart <service>`: exit 1 when the service is not healthy once the supervisor answers. */
export const restartCommand: CliCommand = {
  async run(ctx) {
    const client = new SupervisorClient(runDirOf(ctx.configRoot));
    const { service: after } = (await client.call(
      { cmd: 'restart', service: ctx.args[0] },
      LONG_TIMEOUT_MS,
    )) as RestartResult;
    if (!after.healthy) {
      ctx.out(
        `${after.name} restarted (pid ${after.pid ?? '-'}) but is not healthy yet; see the supervisor's output`,
      );
      return EXIT.failed;
    }
    ctx.out(`${after.name} restarted: pid ${after.pid}, healthy`);
    return EXIT.ok;
  },
};
