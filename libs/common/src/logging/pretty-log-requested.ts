// Apart from service-log.ts (pino): the supervisor reads it and loads no logger library.
/** `--pretty` on the command line or `SOGOMS_LOG_PRETTY=1` (inherited by the supervisor's children). */
export const prettyLogRequested = (
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): boolean => argv.includes('--pretty') || env.SOGOMS_LOG_PRETTY === '1';
