import { SogomsError } from '@sogoms/common';
import { IpcClient, socketPath, UnixSocketClient } from '@sogoms/ipc';
import { CliFailure, EXIT } from './cli-context.js';
import { runDirOf } from './run-dir.lookup.js';

const TIMEOUT_MS = 10_000;

/**
 * One call to a running service (`{run_dir}/{service}.sock`), closed afterwards. Its SogomsError
 * becomes a one-line failure: exit 1 for an error answer, 2 when the service is not running.
 */
export const callService = async <T>(
  configRoot: string,
  service: string,
  pattern: string,
  data: Record<string, unknown>,
  timeoutMs = TIMEOUT_MS,
): Promise<T> => {
  const client = new IpcClient(new UnixSocketClient({ path: socketPath(runDirOf(configRoot), service) }), {
    timeoutMs,
  });
  let connected = false;
  try {
    await client.connect();
    connected = true;
    return await client.call<T>(pattern, data);
  } catch (error) {
    if (!(error instanceof SogomsError)) throw error;
    // Once connected, UNAVAILABLE is the service's own answer (the mailer's IMAP server is down).
    if ((error.code === 'UNAVAILABLE' && !connected) || error.code === 'TIMEOUT')
      throw new CliFailure(
        `the ${service} service does not answer (${error.message}); is the stack running? (sogoms status)`,
      );
    throw new CliFailure(`${error.code}: ${error.message}`, EXIT.failed);
  } finally {
    await client.close().catch(() => undefined);
  }
};
