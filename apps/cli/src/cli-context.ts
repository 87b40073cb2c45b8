/**
 * What a command gets: its positional arguments, its options as commander parsed them (typed by the
 * command, declared in its group file), the config root and the outputs.
 */
export interface CliContext<O extends object = object> {
  /** Positional arguments after the command words, e.g. `['sakila']` for `schema scan sakila`. */
  args: string[];
  /** Camel-cased long names: `--auth-table T` → `{ authTable: 'T' }`, `--apply` → `{ apply: true }`. */
  options: Readonly<O>;
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
export interface CliCommand<O extends object = object> {
  run(ctx: CliContext<O>): Promise<number>;
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
