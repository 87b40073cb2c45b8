/** What a command gets: its positional arguments, its flags, the config root and the outputs. */
export interface CliContext {
  /** Positional arguments after the command words, e.g. `['sakila']` for `schema scan sakila`. */
  args: string[];
  /** By long option name without dashes: `--name value` → string; a bare `--flag` → true. */
  flags: Readonly<Record<string, string | true>>;
  configRoot: string;
  out(line: string): void;
  err(line: string): void;
}

/**
 * Exit codes shared by every command: 0 ok; 1 the command ran and failed or found something
 * (differences, findings, a service not healthy); 2 a usage error or an error that kept the
 * command from running (bad config, unknown app, no supervisor).
 */
export const EXIT = { ok: 0, failed: 1, findings: 1, error: 2, usage: 2 } as const;

/** A command's behaviour; its words, arguments and options are declared in its group file. */
export interface CliCommand {
  run(ctx: CliContext): Promise<number>;
}

/** A failure a command reports in one line (exit 2 unless said otherwise), never a stack trace. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
