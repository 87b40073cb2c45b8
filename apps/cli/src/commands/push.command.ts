import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { PushPublishOptions } from './push-publish.command.js';

/** `sogoms push …`: publish through the running push service (docs/push.md). */
export const definePushCommands = (program: Command, run: CliRun): void => {
  const push = withExamples(
    program.command('push').description('publish MQTT messages through the running push service'),
    'sogoms push notify --help',
  );
  withExamples(
    push
      .command('publish')
      .description('publish to any topic (no wildcards); not recorded in an outbox')
      .argument('<topic>', 'e.g. prokov/broadcast/maintenance')
      .argument('<payload>', 'JSON, or any other text sent as is')
      .option('--qos <qos>', '0 or 1 (default 1)')
      .option('--retain', 'the broker keeps it for later subscribers')
      .action(
        commandAction<PushPublishOptions>(
          run,
          async () => (await import('./push-publish.command.js')).pushPublishCommand,
        ),
      ),
    `sogoms push publish prokov/broadcast/maintenance '{"at":"22:00"}'`,
  );
  withExamples(
    push
      .command('notify')
      .description("send to one user's topic {app}/user/{user}/{channel}, recorded in the app's outbox")
      .argument('<app>', 'an app of config/apps with push:')
      .argument('<user>', 'the user id (the token subject)')
      .argument('<channel>', 'the last topic level, e.g. notices')
      .argument('<payload>', 'JSON, or any other text sent as a string')
      .action(commandAction(run, async () => (await import('./push-notify.command.js')).pushNotifyCommand)),
    `sogoms push notify prokov 1 notices '{"text":"Welcome"}'`,
  );
  withExamples(
    push
      .command('broadcast')
      .description("send to every user of the app: {app}/broadcast/{channel}, recorded in the app's outbox")
      .argument('<app>', 'an app of config/apps with push:')
      .argument('<channel>', 'the last topic level, e.g. news')
      .argument('<payload>', 'JSON, or any other text sent as a string')
      .action(
        commandAction(run, async () => (await import('./push-broadcast.command.js')).pushBroadcastCommand),
      ),
    `sogoms push broadcast prokov news '{"text":"v2 is out"}'`,
  );
};
