import { Logger } from '@nestjs/common';
import { SogomsError, type ErrorBody } from '@sogoms/common';
import {
  DB_PATTERNS,
  transportErrors,
  type IpcCallOptions,
  type Row,
  type ServiceCaller,
  type TransactionResult,
} from '@sogoms/ipc';
import type { DbService } from './db.service.js';
import { wireRow, wireRows, wireValue } from './wire-shape.js';

type Handler = (payload: unknown) => unknown;

/**
 * The db module called in the caller's own process (`transport.kind: inprocess`): pattern →
 * DbService method, with what a transport would add around it, so that a caller cannot tell
 * the difference: the payload and the result take their JSON shape (Dates as ISO strings,
 * Buffers as `{type:'Buffer', data}`), errors are SogomsErrors with the same code, message and
 * details (anything else is `INTERNAL`, logged here, never passed on), an unknown pattern is
 * NOT_FOUND, and a call not answered within its timeout rejects with TIMEOUT.
 * What it leaves out: frame size limits (nothing is framed) and the transport's own failures.
 */
export class InProcessDbCaller implements ServiceCaller {
  private readonly logger = new Logger(InProcessDbCaller.name);
  private readonly handlers: ReadonlyMap<string, Handler>;

  constructor(
    service: DbService,
    private readonly timeoutMs: number,
  ) {
    this.handlers = new Map<string, Handler>([
      [DB_PATTERNS.query, async (p) => wireRows(await service.query(p))],
      [DB_PATTERNS.queryOne, async (p) => nullableRow(await service.queryOne(p))],
      [DB_PATTERNS.transaction, async (p) => wireTransaction(await service.transaction(p))],
      [DB_PATTERNS.ping, (p) => service.ping(p)],
      // Rare and nested: the plain JSON conversion is fine there.
      [DB_PATTERNS.introspect, async (p) => wireValue(await service.introspect(p))],
      [DB_PATTERNS.probe, async (p) => wireValue(await service.probe(p))],
      [DB_PATTERNS.stats, () => service.stats()],
    ]);
  }

  call<T>(pattern: string, data: unknown, opts?: IpcCallOptions): Promise<T> {
    if (data === undefined || data === null) {
      return Promise.reject(
        new SogomsError('INTERNAL', `IPC payload of '${pattern}' must not be null or undefined`),
      );
    }
    const handler = this.handlers.get(pattern);
    if (handler === undefined)
      return Promise.reject(SogomsError.fromBody(transportErrors.noHandler(pattern)));
    let payload: unknown;
    try {
      payload = wireValue(data);
    } catch {
      return Promise.reject(new SogomsError('BAD_REQUEST', `Payload of '${pattern}' cannot be serialized`));
    }
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      // As over IPC: the caller stops waiting, the statement runs on (the server's limit ends it).
      const timer = setTimeout(
        () => reject(SogomsError.fromBody(transportErrors.timeout(pattern, timeoutMs))),
        timeoutMs,
      );
      // A handler that throws at once rejects like one that fails later.
      new Promise<unknown>((run) => run(handler(payload))).then(
        (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(this.wireError(error));
        },
      );
    });
  }

  /** What RpcErrorFilter sends and the client rebuilds: a SogomsError's body, or INTERNAL. */
  private wireError(error: unknown): SogomsError {
    if (error instanceof SogomsError) return SogomsError.fromBody(wireValue(error.toBody()) as ErrorBody);
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return new SogomsError('INTERNAL', 'Internal error');
  }
}

const nullableRow = (row: Row | null): Row | null => (row === null ? null : wireRow(row));

const wireTransaction = (results: TransactionResult): TransactionResult => {
  for (const result of results) if (Array.isArray(result)) wireRows(result);
  return results;
};
