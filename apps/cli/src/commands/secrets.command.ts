import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';

/** `sogoms secrets …`: an app's keys in its secrets/ folder. */
export const defineSecretsCommands = (program: Command, run: CliRun): void => {
  const secrets = withExamples(
    program
      .command('secrets')
      .description("an app's keys in config/apps/{app}/secrets/ (mode 600, git-ignored)"),
    'sogoms secrets generate --help',
  );
  withExamples(
    secrets
      .command('generate')
      .description(
        "create the app's field-encryption keys (secrets/crypt.keys); an existing file is never overwritten",
      )
      .argument('<app>', 'an app of config/apps')
      .action(
        commandAction<object>(
          run,
          async () => (await import('./secrets-generate.command.js')).secretsGenerateCommand,
        ),
      ),
    'sogoms secrets generate shop',
  );
};
