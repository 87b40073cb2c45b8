import { SogomsError } from '@sogoms/common';
import type { GlobalConfig } from '@sogoms/config';
import { DB_PATTERNS, socketPath, UnixSocketServer } from '@sogoms/ipc';
import { of, throwError, type Observable } from 'rxjs';
import type { DbService } from '../db.service.js';

/**
 * `{run_dir}/db.sock` answering the db service's patterns from `service`: a real db module over
 * the real IPC transport, for services that call the db service (their specs may not import apps/db).
 */
export const listenDbSocket = async (global: GlobalConfig, service: DbService): Promise<UnixSocketServer> => {
  const server = new UnixSocketServer({
    path: socketPath(global.runDir, 'db'),
    maxFrameBytes: global.ipc.maxFrameBytes,
  });
  const handlers: Record<string, (data: unknown) => Promise<unknown>> = {
    [DB_PATTERNS.query]: (data) => service.query(data),
    [DB_PATTERNS.queryOne]: (data) => service.queryOne(data),
    [DB_PATTERNS.transaction]: (data) => service.transaction(data),
    [DB_PATTERNS.ping]: (data) => service.ping(data),
    [DB_PATTERNS.introspect]: (data) => service.introspect(data),
    [DB_PATTERNS.probe]: (data) => service.probe(data),
  };
  for (const [pattern, handle] of Object.entries(handlers)) {
    server.addHandler(pattern, async (data: unknown): Promise<Observable<unknown>> => {
      try {
        return of(await handle(data ?? {}));
      } catch (error) {
        const body =
          error instanceof SogomsError ? error.toBody() : { code: 'INTERNAL', message: 'Internal error' };
        return throwError(() => body);
      }
    });
  }
  await new Promise<void>((resolve, reject) =>
    server.listen((error) =>
      error === undefined ? resolve() : reject(error instanceof Error ? error : new Error('listen failed')),
    ),
  );
  return server;
};
