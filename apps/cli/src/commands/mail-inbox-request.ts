import { CliFailure } from '../cli-context.js';

/** A positive whole number given on the command line (a UID, a limit), or a usage failure naming it. */
export const positiveNumberArg = (name: string, value: string): number => {
  if (!/^[1-9]\d*$/.test(value))
    throw new CliFailure(`${name}: expected a number, got ${JSON.stringify(value)}`);
  return Number(value);
};

/** `[--folder F]` as the mailer takes it: absent means INBOX there. */
export const folderField = (folder: string | undefined): { folder?: string } =>
  folder === undefined ? {} : { folder };

/** `<app> <account> <uid>` and `--folder`: the address of one message in `mailer.inbox.*` calls. */
export const messageAddress = (
  args: readonly string[],
  folder: string | undefined,
): { app: string; account: string; uid: number; folder?: string } => ({
  app: args[0],
  account: args[1],
  uid: positiveNumberArg('uid', args[2]),
  ...folderField(folder),
});
