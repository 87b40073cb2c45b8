export {
  UnixSocketServer,
  DEFAULT_MAX_FRAME_BYTES,
  type UnixSocketServerOptions,
} from './transport/unix-socket.server.js';
export { UnixSocketClient, type UnixSocketClientOptions } from './transport/unix-socket.client.js';
export { UnixSocketContext } from './transport/unix-socket.context.js';
export { socketPath } from './socket-path.js';
export { microserviceOptions, createClientProxy } from './transport-options.js';
export { IpcClient, type IpcClientOptions, type IpcCallOptions } from './ipc-client.js';
export { toSogomsError } from './ipc-error-mapper.js';
export { RpcErrorFilter } from './rpc-error.filter.js';
export { IpcModule, ipcClientToken } from './ipc.module.js';
export { IPC_CALL_OBSERVER, type IpcCallObserver } from './ipc-call-observer.js';
export * from './contracts/db.contract.js';
export * from './contracts/logs.contract.js';
export * from './contracts/mailer.contract.js';
export * from './contracts/push.contract.js';
export * from './contracts/cron.contract.js';
export type * from './contracts/control.contract.js';
export { ControlClient, type ControlAnswer } from './control/control-client.js';
export { LogReporter, type LogEventEmitter } from './log-reporter.js';
export type { ServiceCaller } from './service-caller.js';
export { transportErrors } from './transport/wire-message.js';
