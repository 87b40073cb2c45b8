import { PUSH_PATTERNS, type PushPublished } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';
import { pushPayloadOf } from './push-payload.js';

/** `sogoms push broadcast <app> <channel> <payload>`: prints the topic and the event's seq. */
export const pushBroadcastCommand: CliCommand = {
  async run(ctx) {
    const [app, channel, payload] = ctx.args;
    const published = await callService<PushPublished>(ctx.configRoot, 'push', PUSH_PATTERNS.broadcast, {
      app,
      channel,
      payload: pushPayloadOf(payload),
    });
    ctx.out(`published to ${published.topic} (seq ${published.seq ?? 'none: not recorded'})`);
    return EXIT.ok;
  },
};
