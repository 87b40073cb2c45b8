import { CRON_PATTERNS, type CronJobInfo } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';

/** `sogoms cron pause|resume <app> <job>`: kept in the app's database, so across restarts and processes. */
const pauseCommand = (paused: boolean): CliCommand => ({
  async run(ctx) {
    const [app, job] = ctx.args;
    const info = await callService<CronJobInfo>(
      ctx.configRoot,
      'cron',
      paused ? CRON_PATTERNS.pause : CRON_PATTERNS.resume,
      {
        app,
        job,
      },
    );
    ctx.out(
      paused
        ? `${info.app}/${info.job}: paused; no fire time runs until sogoms cron resume`
        : `${info.app}/${info.job}: resumed; next ${info.next[0] ?? '(none)'}`,
    );
    return EXIT.ok;
  },
});

export const cronPauseCommand = pauseCommand(true);
export const cronResumeCommand = pauseCommand(false);
