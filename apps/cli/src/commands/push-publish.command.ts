import { PUSH_PATTERNS, type PushPublished } from '@sogoms/ipc';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';
import { pushPayloadOf } from './push-payload.js';

/** What `push publish` takes (declared in push.command.ts). */
export interface PushPublishOptions {
  qos?: string;
  retain?: boolean;
}

/** `sogoms push publish <topic> <payload> [--qos 0|1] [--retain]`. */
export const pushPublishCommand: CliCommand<PushPublishOptions> = {
  async run(ctx) {
    const [topic, payload] = ctx.args;
    const qos = ctx.options.qos === undefined ? 1 : Number(ctx.options.qos);
    if (qos !== 0 && qos !== 1) throw new CliFailure('--qos must be 0 or 1', EXIT.usage);
    const published = await callService<PushPublished>(ctx.configRoot, 'push', PUSH_PATTERNS.publish, {
      topic,
      payload: pushPayloadOf(payload),
      qos,
      retain: ctx.options.retain === true,
    });
    ctx.out(`published to ${published.topic}`);
    return EXIT.ok;
  },
};
