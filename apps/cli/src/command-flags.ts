import { CliFailure, type CliContext } from './cli-context.js';

/** The value of `--name value`; undefined when absent; a bare `--name` is an error. */
export const optionalFlag = (ctx: CliContext, name: string): string | undefined => {
  const value = ctx.flags[name];
  if (value === true) throw new CliFailure(`--${name} needs a value`);
  return value;
};

/** The value of `--name value`, which the command cannot do without. */
export const requiredFlag = (ctx: CliContext, name: string, example: string): string => {
  const value = optionalFlag(ctx, name);
  if (value === undefined || value === '')
    throw new CliFailure(`--${name} is required (e.g. --${name} ${example})`);
  return value;
};
