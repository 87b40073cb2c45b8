import { isRecord } from '@sogoms/common';
import { CliFailure } from '../cli-context.js';

/** `--vars '{"name":"Ann"}'`: a JSON object, or none. */
export const mailVarsOf = (text: string | undefined): Record<string, unknown> => {
  if (text === undefined) return {};
  let vars: unknown;
  try {
    vars = JSON.parse(text);
  } catch {
    throw new CliFailure(`--vars: expected a JSON object, got ${JSON.stringify(text)}`);
  }
  if (!isRecord(vars)) throw new CliFailure('--vars: expected a JSON object such as {"name":"Ann"}');
  return vars;
};
