/** What a command gets: its positional arguments, its flags, the config root and the outputs. */
export interface CliContext {
  /** Positional arguments after the command words, e.g. `['sakila']` for `schema scan sakila`. */
  args: string[];
  /** `--name value` or `--name=value` → string; a bare `--flag` → true. */
  flags: Readonly<Record<string, string | true>>;
  configRoot: string;
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes shared by every command: 0 ok, 1 findings (diff, validate), 2 error. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface CliCommand {
  /** e.g. `schema scan <app>`; shown in the help. */
  usage: string;
  summary: string;
  run(ctx: CliContext): Promise<number>;
}

/** A failure a command reports in one line (exit 2), never a stack trace. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
