import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import { defineMailInboxCommands } from './mail-inbox.command.js';
import type { MailListOptions } from './mail-list.command.js';
import type { MailPreviewOptions } from './mail-preview.command.js';
import type { MailSendOptions } from './mail-send.command.js';
import type { MailStatusOptions } from './mail-status.command.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `sogoms mail …`: an app's outgoing mail (and `mail inbox`, its incoming), through the running mailer. */
export const defineMailCommands = (program: Command, run: CliRun): void => {
  const mail = withExamples(
    program
      .command('mail')
      .description("an app's mail: preview templates, send, follow the queue; its IMAP inbox (mail inbox)"),
    'sogoms mail preview --help',
  );
  withExamples(
    mail
      .command('preview')
      .description('render a template of config/apps/<app>/emails with variables; nothing is sent')
      .argument('<app>', 'an app of config/apps with smtp:')
      .argument('<template>', 'emails/<template>.yaml')
      .option('--vars <json>', 'the template variables, a JSON object')
      .option('--lang <lang>', 'the language variant, e.g. fr')
      .action(
        commandAction<MailPreviewOptions>(
          run,
          async () => (await import('./mail-preview.command.js')).mailPreviewCommand,
        ),
      ),
    `sogoms mail preview prokov welcome --vars '{"name":"Ann"}'`,
  );
  withExamples(
    mail
      .command('send')
      .description('queue one message (given, or from a template) and print its id')
      .argument('<app>', 'an app of config/apps with smtp:')
      .requiredOption('--to <address>', 'a recipient; repeat for more', collect)
      .option('--subject <subject>', 'the subject (without --template)')
      .option('--text <text>', 'the plain-text body')
      .option('--html <html>', 'the HTML body')
      .option('--template <template>', 'emails/<template>.yaml instead of subject and bodies')
      .option('--vars <json>', 'the template variables, a JSON object')
      .option('--lang <lang>', 'the language variant, e.g. fr')
      .option('--idempotency-key <key>', 'the same key twice queues one message')
      .action(
        commandAction<MailSendOptions>(
          run,
          async () => (await import('./mail-send.command.js')).mailSendCommand,
        ),
      ),
    "sogoms mail send prokov --to ann@example.com --subject Hi --text 'Hello Ann'",
  );
  withExamples(
    mail
      .command('status')
      .description("one message's state, attempts and last error; without an id, the newest 20")
      .argument('<app>', 'an app of config/apps with smtp:')
      .argument('[id]', 'the message id that send printed')
      .option('--json', 'print JSON')
      .action(
        commandAction<MailStatusOptions>(
          run,
          async () => (await import('./mail-status.command.js')).mailStatusCommand,
        ),
      ),
    'sogoms mail status prokov 42',
  );
  withExamples(
    mail
      .command('list')
      .description("the app's queue, newest first")
      .argument('<app>', 'an app of config/apps with smtp:')
      .option('--state <state>', 'queued, sending, sent, failed or dead')
      .option('--since <date>', 'created at or after this ISO 8601 date')
      .option('--limit <n>', 'at most this many (default 50, at most 500)')
      .option('--json', 'print JSON')
      .action(
        commandAction<MailListOptions>(
          run,
          async () => (await import('./mail-list.command.js')).mailListCommand,
        ),
      ),
    'sogoms mail list prokov --state dead',
  );
  defineMailInboxCommands(mail, run);
};
