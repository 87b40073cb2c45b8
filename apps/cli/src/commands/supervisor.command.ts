import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { DoctorOptions } from './doctor.command.js';
import type { StatusOptions } from './status.command.js';

/**
 * The supervisor's control commands, at the top level (`sogoms status`): they talk to a running
 * sogoctl over {run_dir}/sogoctl.sock.
 */
export const defineSupervisorCommands = (program: Command, run: CliRun): void => {
  withExamples(
    program
      .command('status')
      .description('every service: pid, uptime, restarts, healthy')
      .option('--json', 'print the raw status object of the supervisor')
      .action(
        commandAction<StatusOptions>(run, async () => (await import('./status.command.js')).statusCommand),
      ),
    'sogoms status',
    'sogoms status --json --config ./config',
  );
  withExamples(
    program
      .command('restart')
      .description('graceful stop (SIGTERM, SIGKILL after the grace period), start, wait until healthy')
      .argument('<service>', 'a service of sogoctl.yaml, e.g. gateway')
      .action(commandAction(run, async () => (await import('./restart.command.js')).restartCommand)),
    'sogoms restart gateway',
  );
  withExamples(
    program
      .command('reload')
      .description('ask the services to re-read their configuration (each gets its reload_signal)')
      .action(commandAction(run, async () => (await import('./reload.command.js')).reloadCommand)),
    'sogoms reload',
  );
  withExamples(
    program
      .command('stop')
      .description('stop every service in reverse dependency order, then the supervisor')
      .action(commandAction(run, async () => (await import('./stop.command.js')).stopCommand)),
    'sogoms stop',
  );
  withExamples(
    program
      .command('doctor')
      .description(
        'check what SOGOMS needs (Node, config, databases, secrets, ports, clock); exit 1 on a problem',
      )
      .option('--json', 'print the findings as JSON')
      .action(
        commandAction<DoctorOptions>(run, async () => (await import('./doctor.command.js')).doctorCommand),
      ),
    'sogoms doctor',
    'sogoms doctor --json',
  );
};
