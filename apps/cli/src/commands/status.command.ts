import { EXIT, type CliCommand } from '../cli-context.js';
import { runDirOf } from '../run-dir.lookup.js';
import type { StatusResult } from '@sogoms/ipc';
import { SHORT_TIMEOUT_MS, SupervisorClient } from '../supervisor-client.js';
import { formatUptime, textTable } from '../text-table.js';

/** What `status` takes (declared in supervisor.command.ts). */
export interface StatusOptions {
  json?: boolean;
}

/** `sogoms status [--json]`: every service's pid, uptime, restarts, health and resident memory. */
export const statusCommand: CliCommand<StatusOptions> = {
  async run(ctx) {
    const client = new SupervisorClient(runDirOf(ctx.configRoot));
    const result = (await client.call({ cmd: 'status' }, SHORT_TIMEOUT_MS)) as StatusResult;
    if (ctx.options.json === true) {
      ctx.out(JSON.stringify(result, null, 2));
      return EXIT.ok;
    }
    const rows = result.services.map((s) => [
      s.name,
      s.pid === null ? '-' : String(s.pid),
      formatUptime(s.uptime_s),
      String(s.restarts),
      s.healthy ? 'yes' : 'no',
      s.rss_bytes === null ? '-' : `${Math.round(s.rss_bytes / 1024 / 1024)} MB`,
    ]);
    ctx.out(textTable(['SERVICE', 'PID', 'UPTIME', 'RESTARTS', 'HEALTHY', 'MEMORY'], rows));
    for (const f of result.fallbacks ?? [])
      ctx.out(`app ${f.app}: ON ITS FALLBACK DATABASE (${f.driver} ${f.file ?? ''}): ${f.reason}`);
    return EXIT.ok;
  },
};
