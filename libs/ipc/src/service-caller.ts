import type { IpcCallOptions } from './ipc-client.js';

/**
 * Request/response to another service, whatever carries it: `IpcClient` over a transport, or an
 * in-process dispatcher (`@sogoms/db`'s `InProcessDbCaller`). Callers such as the gateway's
 * DbClient depend on this, so the db module can run in their process without a code change.
 * Contract of every implementation: rejects only with SogomsError, and resolves with values as
 * JSON would deliver them (Dates as ISO strings, Buffers as `{type:'Buffer', data}`).
 */
export interface ServiceCaller {
  call<T>(pattern: string, data: unknown, opts?: IpcCallOptions): Promise<T>;
}
