import { createConnection, type Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { ClientProxy, type MsPattern, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { SogomsError } from '@sogoms/common';
import type { ObservedCalls } from '../ipc-call-observer.js';
import { toSogomsError } from '../ipc-error-mapper.js';
import { serviceOfSocketPath } from '../socket-path.js';
import { FrameDecoder } from './frame-decoder.js';
import { encodeFrame, FrameWriter } from './frame-writer.js';
import { DEFAULT_MAX_FRAME_BYTES } from './unix-socket.server.js';
import { isWireResponse, transportErrors } from './wire-message.js';

export interface UnixSocketClientOptions {
  /** Socket file of the service (see `socketPath`). */
  path: string;
  /** Largest frame accepted or sent. Default 16 MiB. */
  maxFrameBytes?: number;
  /** First delay before a background reconnect; doubles per failure up to 2 s. Default 100. */
  reconnectDelayMs?: number;
}

type ResponseCallback = (packet: WritePacket) => void;

const MAX_RECONNECT_DELAY_MS = 2000;
const MAX_ID = 0x7fffffff;
const CONNECTED: Promise<void> = Promise.resolve();

/**
 * Client side of UnixSocketServer, usable as any Nest `ClientProxy` (`send`/`emit`).
 *
 * Connection policy: the client connects lazily on first use. A request made while
 * disconnected triggers an immediate connect attempt; when that fails (no socket file, no
 * listener) the request fails at once with UNAVAILABLE instead of waiting for its timeout.
 * After a connection drops, every pending request fails with UNAVAILABLE and the client
 * reconnects in the background (backoff from `reconnectDelayMs` to 2 s) until `close()`.
 */
export class UnixSocketClient extends ClientProxy {
  private readonly logger = new Logger(UnixSocketClient.name);
  readonly path: string;
  private readonly service: string;
  private readonly maxFrameBytes: number;
  private readonly reconnectDelayMs: number;
  private readonly pending = new Map<number, ResponseCallback>();
  private socket: Socket | null = null;
  private writer: FrameWriter | null = null;
  private connecting: Promise<void> | null = null;
  private nextId = 0;
  /** True between the first `connect()` and `close()`: the client wants a connection. */
  private active = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay: number;

  constructor(options: UnixSocketClientOptions) {
    super();
    this.path = options.path;
    this.service = serviceOfSocketPath(options.path);
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.reconnectDelay = this.reconnectDelayMs;
    this._status$.next('disconnected');
  }

  isConnected(): boolean {
    return this.socket !== null;
  }

  /** Resolves once connected; rejects with a SogomsError UNAVAILABLE when no server answers. */
  connect(): Promise<void> {
    if (this.socket) return CONNECTED;
    this.active = true;
    this.connecting ??= this.openSocket();
    return this.connecting;
  }

  async close(): Promise<void> {
    this.active = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    if (socket) {
      this.detach(socket, 'client closed');
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        // A peer that does not finish the close handshake promptly is not waited for.
        setTimeout(() => socket.destroy(), 200).unref();
      });
    }
  }

  unwrap<T>(): T {
    if (!this.socket) throw new Error('Not connected: call connect() first');
    return this.socket as T;
  }

  /**
   * Request/response as a promise, without Observables: the fast path IpcClient uses.
   * Rejects only with SogomsError (the remote's error body, TIMEOUT, UNAVAILABLE, ...).
   * A multi-value (Observable) answer resolves with its last value. `observed` is told of the
   * outcome from the same callbacks (no promise chained per call for metrics).
   */
  request<T = unknown>(
    pattern: string,
    data: unknown,
    timeoutMs: number,
    observed: ObservedCalls | null = null,
  ): Promise<T> {
    const started = observed === null ? 0 : performance.now();
    return new Promise<T>((resolve, reject) => {
      let id = 0;
      let timedOut = false;
      let last: unknown;
      const fail = (error: SogomsError): void => {
        observed?.observer.called(observed.target, pattern, (performance.now() - started) / 1000, error.code);
        reject(error);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        if (id !== 0) this.pending.delete(id);
        fail(SogomsError.fromBody(transportErrors.timeout(pattern, timeoutMs)));
      }, timeoutMs);
      const callback: ResponseCallback = (packet) => {
        if (packet.err !== undefined && packet.err !== null) {
          clearTimeout(timer);
          fail(toSogomsError(packet.err));
          return;
        }
        if (packet.response !== undefined) last = packet.response;
        if (packet.isDisposed) {
          clearTimeout(timer);
          observed?.observer.called(observed.target, pattern, (performance.now() - started) / 1000, null);
          resolve(last as T);
        }
      };
      const send = (): void => {
        if (timedOut) return;
        id = this.sendRequest(pattern, data, undefined, callback);
      };
      if (this.socket) {
        send();
      } else {
        this.connect().then(send, (error: unknown) => {
          clearTimeout(timer);
          fail(toSogomsError(error));
        });
      }
    });
  }

  /**
   * Fire-and-forget without waiting: writes the event if connected and returns true; returns
   * false (message dropped) when disconnected, and starts reconnecting in the background.
   */
  emitIfConnected(pattern: string, data: unknown): boolean {
    const writer = this.writer;
    if (!writer) {
      // Kick a connect unless one is under way or a backoff delay is pending.
      if (!this.connecting && !this.reconnectTimer) this.connect().catch(() => undefined);
      return false;
    }
    const frame = this.encode({ pattern, data });
    return frame !== null && writer.write(frame);
  }

  protected publish(packet: ReadPacket, callback: ResponseCallback): () => void {
    const id = this.sendRequest(
      this.normalizePattern(packet.pattern as MsPattern),
      packet.data,
      packet.metadata,
      callback,
    );
    return () => {
      this.pending.delete(id);
    };
  }

  protected dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const writer = this.writer;
    if (!writer)
      return Promise.reject(SogomsError.fromBody(transportErrors.unavailable(this.service, 'not connected')));
    const message =
      packet.metadata === undefined
        ? { pattern: this.normalizePattern(packet.pattern as MsPattern), data: packet.data as unknown }
        : {
            pattern: this.normalizePattern(packet.pattern as MsPattern),
            data: packet.data as unknown,
            metadata: packet.metadata,
          };
    const frame = this.encode(message);
    if (frame === null)
      return Promise.reject(
        new SogomsError('PAYLOAD_TOO_LARGE', 'Event is too large for IPC or not serializable'),
      );
    writer.write(frame);
    return Promise.resolve(undefined as T);
  }

  /** Sends a request and registers its callback; reports failures through the callback. Returns the id (0 if unsent). */
  private sendRequest(
    pattern: string,
    data: unknown,
    metadata: ReadPacket['metadata'],
    callback: ResponseCallback,
  ): number {
    const writer = this.writer;
    if (!writer) {
      callback({ err: transportErrors.unavailable(this.service, 'not connected'), isDisposed: true });
      return 0;
    }
    this.nextId = this.nextId >= MAX_ID ? 1 : this.nextId + 1;
    const id = this.nextId;
    let json: string;
    try {
      json = JSON.stringify(metadata === undefined ? { id, pattern, data } : { id, pattern, data, metadata });
    } catch {
      callback({
        err: { code: 'BAD_REQUEST', message: `Payload of '${pattern}' cannot be serialized` },
        isDisposed: true,
      });
      return 0;
    }
    const frame = encodeFrame(json);
    if (frame.length - 4 > this.maxFrameBytes) {
      callback({
        err: transportErrors.tooLarge(`Request '${pattern}'`, frame.length - 4, this.maxFrameBytes),
        isDisposed: true,
      });
      return 0;
    }
    this.pending.set(id, callback);
    writer.write(frame);
    return id;
  }

  private encode(message: object): Buffer | null {
    let frame: Buffer;
    try {
      frame = encodeFrame(JSON.stringify(message));
    } catch {
      return null;
    }
    if (frame.length - 4 > this.maxFrameBytes) {
      this.logger.warn(`Dropping an event of ${frame.length - 4} bytes: over the IPC frame limit`);
      return null;
    }
    return frame;
  }

  private openSocket(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const socket = createConnection(this.path);
      const onError = (error: NodeJS.ErrnoException): void => {
        socket.destroy();
        this.connecting = null;
        reject(
          SogomsError.fromBody(transportErrors.unavailable(this.service, error.code ?? 'connect failed')),
        );
        this.scheduleReconnect();
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        this.connecting = null;
        if (!this.active) {
          // close() was called while connecting.
          socket.destroy();
          reject(SogomsError.fromBody(transportErrors.unavailable(this.service, 'client closed')));
          return;
        }
        this.attach(socket);
        resolve();
      });
    });
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.writer = new FrameWriter(socket);
    this.reconnectDelay = this.reconnectDelayMs;
    const decoder = new FrameDecoder(
      this.maxFrameBytes,
      (message) => this.handleResponse(socket, message),
      (error) => {
        this.logger.warn(`Closing connection to '${this.service}': ${error.message}`);
        this.detach(socket, 'bad frame from server');
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      decoder.stop();
      this.detach(socket, 'connection lost');
      this.scheduleReconnect();
    });
    this._status$.next('connected');
  }

  /** Forgets `socket` and fails every request still waiting on it. */
  private detach(socket: Socket, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.writer = null;
    this._status$.next('disconnected');
    if (this.pending.size === 0) return;
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    const err = transportErrors.unavailable(this.service, reason);
    for (const callback of callbacks) {
      try {
        callback({ err, isDisposed: true });
      } catch (error) {
        this.logger.error('A pending call failed to settle', error);
      }
    }
  }

  private handleResponse(socket: Socket, message: unknown): void {
    if (!isWireResponse(message) || typeof message.id !== 'number') {
      this.logger.warn(`Closing connection to '${this.service}': malformed response`);
      this.detach(socket, 'bad frame from server');
      socket.destroy();
      return;
    }
    const callback = this.pending.get(message.id);
    // No callback: the call timed out or was unsubscribed; a late answer is ignored.
    if (!callback) return;
    const failed = message.err !== undefined && message.err !== null;
    if (failed || message.isDisposed) {
      this.pending.delete(message.id);
      callback({ err: message.err, response: message.response, isDisposed: true });
    } else {
      callback({ response: message.response });
    }
  }

  private scheduleReconnect(): void {
    if (!this.active || this.reconnectTimer || this.socket || this.connecting) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, Math.max(MAX_RECONNECT_DELAY_MS, this.reconnectDelayMs));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      // Failures reschedule themselves in openSocket.
      this.connect().catch(() => undefined);
    }, delay);
    this.reconnectTimer.unref();
  }
}
