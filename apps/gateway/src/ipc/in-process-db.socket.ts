import { SogomsError } from '@sogoms/common';
import type { GlobalConfig } from '@sogoms/config';
import { DB_PATTERNS, socketPath, UnixSocketServer, type ServiceCaller } from '@sogoms/ipc';
import { of, throwError, type Observable } from 'rxjs';

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** What the socket answers: diagnostics only; statements are for the gateway itself. */
const PATTERNS = [DB_PATTERNS.stats, DB_PATTERNS.ping] as const;

/**
 * With the db module inside the gateway there is no db service, but tools still find its
 * counters where they always are: `{run_dir}/db.sock` answers `db.stats` and `db.ping`
 * (e.g. the benchmark's queries per request). Access control is the run dir's, as for any socket.
 */
export const listenInProcessDbSocket = async (
  global: GlobalConfig,
  db: ServiceCaller,
): Promise<UnixSocketServer> => {
  const server = new UnixSocketServer({
    path: socketPath(global.runDir, 'db'),
    maxFrameBytes: global.ipc.maxFrameBytes,
  });
  for (const pattern of PATTERNS) {
    // No Nest exception filter runs here: send the error body, as RpcErrorFilter would.
    server.addHandler(pattern, async (data: unknown): Promise<Observable<unknown>> => {
      try {
        return of(await db.call<unknown>(pattern, data ?? {}));
      } catch (error) {
        const body =
          error instanceof SogomsError ? error.toBody() : { code: 'INTERNAL', message: 'Internal error' };
        return throwError(() => body);
      }
    });
  }
  await new Promise<void>((resolve, reject) =>
    server.listen((error) => (error === undefined ? resolve() : reject(toError(error)))),
  );
  return server;
};
