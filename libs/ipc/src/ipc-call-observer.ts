/** Injection token of the IpcCallObserver the IpcModule's clients report to (optional). */
export const IPC_CALL_OBSERVER = Symbol('sogoms.ipc_call_observer');

/** Told of every request/response IPC call once it settles (metrics). Must not throw. */
export interface IpcCallObserver {
  /** `errorCode` is the stable code of the failure, null on success. */
  called(target: string, pattern: string, seconds: number, errorCode: string | null): void;
}

/** A client's observer with the name of the service it calls (`target` in the metrics). */
export interface ObservedCalls {
  target: string;
  observer: IpcCallObserver;
}
