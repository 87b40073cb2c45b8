import { EXIT, type CliCommand } from '../cli-context.js';
import { runDirOf } from '../run-dir.lookup.js';
import type { StopResult } from '@sogoms/ipc';
import { LONG_TIMEOUT_MS, SupervisorClient } from '../supervisor-client.js';

/** `sogoms stop`: answers once every service has stopped; then the supervisor exits. */
export const stopCommand: CliCommand = {
  async run(ctx) {
    const client = new SupervisorClient(runDirOf(ctx.configRoot));
    const { stopped } = (await client.call({ cmd: 'stop' }, LONG_TIMEOUT_MS)) as StopResult;
    ctx.out(`stopped ${stopped.join(', ')}; the supervisor exits`);
    return EXIT.ok;
  },
};
