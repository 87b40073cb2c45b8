import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { MailInboxDeleteOptions } from './mail-inbox-delete.command.js';
import type { MailInboxFetchOptions } from './mail-inbox-fetch.command.js';
import type { MailInboxFoldersOptions } from './mail-inbox-folders.command.js';
import type { MailInboxListOptions } from './mail-inbox-list.command.js';
import type { MailInboxMarkReadOptions } from './mail-inbox-mark-read.command.js';
import type { MailInboxMoveOptions } from './mail-inbox-move.command.js';

const APP = 'an app of config/apps with imap:';
const ACCOUNT = 'one of its imap: accounts (by name)';
const FOLDER = ['--folder <folder>', 'the folder the message is in (default INBOX)'] as const;

/** `sogoms mail inbox …`: an app's IMAP accounts, through the running mailer service. */
export const defineMailInboxCommands = (mail: Command, run: CliRun): void => {
  const inbox = withExamples(
    mail
      .command('inbox')
      .description("an app's incoming mail (app.yaml imap:): folders, list, fetch, mark read, move, delete"),
    'sogoms mail inbox list prokov tasks --unseen',
  );
  withExamples(
    inbox
      .command('folders')
      .description("the account's folders with their message and unseen counts")
      .argument('<app>', APP)
      .argument('<account>', ACCOUNT)
      .option('--json', 'print JSON')
      .action(
        commandAction<MailInboxFoldersOptions>(
          run,
          async () => (await import('./mail-inbox-folders.command.js')).mailInboxFoldersCommand,
        ),
      ),
    'sogoms mail inbox folders prokov tasks',
  );
  withExamples(
    inbox
      .command('list')
      .description("a folder's messages (headers), newest first")
      .argument('<app>', APP)
      .argument('<account>', ACCOUNT)
      .option('--folder <folder>', 'the folder (default INBOX)')
      .option('--limit <n>', 'at most this many (default 50, at most 500)')
      .option('--offset <n>', 'skip this many of the newest first')
      .option('--unseen', 'only messages not read yet')
      .option('--from <text>', 'the sender contains this')
      .option('--subject <text>', 'the subject contains this')
      .option('--since <date>', 'received on or after this ISO 8601 date')
      .option('--json', 'print JSON')
      .action(
        commandAction<MailInboxListOptions>(
          run,
          async () => (await import('./mail-inbox-list.command.js')).mailInboxListCommand,
        ),
      ),
    'sogoms mail inbox list prokov tasks --from ann@example.com --since 2026-11-01',
  );
  withExamples(
    inbox
      .command('fetch')
      .description('one message: headers, text (or sanitised HTML), attachments with sizes')
      .argument('<app>', APP)
      .argument('<account>', ACCOUNT)
      .argument('<uid>', 'the UID that list printed')
      .option(...FOLDER)
      .option('--html', 'print the sanitised HTML instead of the text')
      .option('--attachment <index>', 'save this attachment (its index in the list) …')
      .option('--out <file>', '… into this file')
      .option('--json', 'print JSON')
      .action(
        commandAction<MailInboxFetchOptions>(
          run,
          async () => (await import('./mail-inbox-fetch.command.js')).mailInboxFetchCommand,
        ),
      ),
    'sogoms mail inbox fetch prokov tasks 42 --attachment 0 --out invoice.pdf',
  );
  withExamples(
    inbox
      .command('mark-read')
      .description('mark one message read (\\Seen)')
      .argument('<app>', APP)
      .argument('<account>', ACCOUNT)
      .argument('<uid>', 'the UID that list printed')
      .option(...FOLDER)
      .action(
        commandAction<MailInboxMarkReadOptions>(
          run,
          async () => (await import('./mail-inbox-mark-read.command.js')).mailInboxMarkReadCommand,
        ),
      ),
    'sogoms mail inbox mark-read prokov tasks 42',
  );
  withExamples(
    inbox
      .command('move')
      .description('move one message to another folder')
      .argument('<app>', APP)
      .argument('<account>', ACCOUNT)
      .argument('<uid>', 'the UID that list printed')
      .argument('<to>', 'the folder to move it to (it must exist)')
      .option(...FOLDER)
      .action(
        commandAction<MailInboxMoveOptions>(
          run,
          async () => (await import('./mail-inbox-move.command.js')).mailInboxMoveCommand,
        ),
      ),
    'sogoms mail inbox move prokov tasks 42 Archive',
  );
  withExamples(
    inbox
      .command('delete')
      .description('delete one message (flagged \\Deleted and expunged: it is gone)')
      .argument('<app>', APP)
      .argument('<account>', ACCOUNT)
      .argument('<uid>', 'the UID that list printed')
      .option(...FOLDER)
      .action(
        commandAction<MailInboxDeleteOptions>(
          run,
          async () => (await import('./mail-inbox-delete.command.js')).mailInboxDeleteCommand,
        ),
      ),
    'sogoms mail inbox delete prokov tasks 42',
  );
};
