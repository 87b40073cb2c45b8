import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { CryptBatchOptions } from './crypt-migrate.command.js';

/** `sogoms crypt …`: an app's encrypted fields in its database (docs/crypt.md). */
export const defineCryptCommands = (program: Command, run: CliRun): void => {
  const crypt = withExamples(
    program.command('crypt').description("an app's encrypted fields (schema.yaml encrypted: true)"),
    'sogoms crypt migrate --help',
  );
  withExamples(
    crypt
      .command('migrate')
      .description(
        'encrypt the plaintext values of an encrypted field, in batches, while the API serves (resumable)',
      )
      .argument('<app>', 'an app of config/apps')
      .argument('<field>', 'table.field, marked encrypted: true in schema.yaml')
      .option('--batch <rows>', 'rows a transaction (1-10000)', '500')
      .action(
        commandAction<CryptBatchOptions>(
          run,
          async () => (await import('./crypt-migrate.command.js')).cryptMigrateCommand,
        ),
      ),
    'sogoms crypt migrate shop users.email',
  );
  withExamples(
    crypt
      .command('rotate')
      .description(
        'a new current key, then every value re-encrypted with it in batches; resumes after a crash',
      )
      .argument('<app>', 'an app of config/apps')
      .option('--batch <rows>', 'rows a transaction (1-10000)', '500')
      .action(
        commandAction<CryptBatchOptions>(
          run,
          async () => (await import('./crypt-rotate.command.js')).cryptRotateCommand,
        ),
      ),
    'sogoms crypt rotate shop',
  );
};
