import { mkdir } from 'node:fs/promises';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import {
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
  type WritePacket,
} from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { MAX_SOCKET_PATH_BYTES } from '../socket-path.js';
import { FrameDecoder, type FrameError } from './frame-decoder.js';
import { encodeFrame, FrameWriter } from './frame-writer.js';
import { removeStaleSocket } from './stale-socket.js';
import { UnixSocketContext } from './unix-socket.context.js';
import { isWireRequest, transportErrors, type WireRequest } from './wire-message.js';

export interface UnixSocketServerOptions {
  /** Socket file to listen on (see `socketPath`). Its folder is created when missing. */
  path: string;
  /** Largest frame accepted or sent. Default 16 MiB. */
  maxFrameBytes?: number;
  /**
   * Answers a client may leave unread before its connection is closed (the server keeps
   * reading under backpressure, so without a bound a client that never reads would make it
   * buffer without end). Default: 4 frames of the largest size, at least 64 MiB.
   */
  maxWriteBacklogBytes?: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

type UnixSocketServerEvents = {
  error: (error: Error) => void;
  listening: () => void;
  close: () => void;
};

/**
 * Nest microservice transport over a Unix domain socket with length-prefixed JSON frames.
 * Handlers are ordinary `@MessagePattern` / `@EventPattern` methods; results may be values,
 * promises or observables; errors are whatever the exception filters produce (see
 * RpcErrorFilter). A bad frame (oversized, not JSON, wrong shape) closes only its connection.
 */
export class UnixSocketServer
  extends Server<UnixSocketServerEvents, 'listening' | 'disconnected'>
  implements CustomTransportStrategy
{
  protected override readonly logger = new Logger(UnixSocketServer.name);
  readonly path: string;
  private readonly maxFrameBytes: number;
  private readonly maxWriteBacklogBytes: number;
  private readonly server: NetServer;
  private readonly connections = new Set<Socket>();

  constructor(options: UnixSocketServerOptions) {
    super();
    this.path = options.path;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxWriteBacklogBytes =
      options.maxWriteBacklogBytes ?? Math.max(4 * this.maxFrameBytes, 64 * 1024 * 1024);
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('close', () => this._status$.next('disconnected'));
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops accepting, drops every open connection (their pending calls fail UNAVAILABLE). */
  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  on<K extends keyof UnixSocketServerEvents>(event: K, callback: UnixSocketServerEvents[K]): void {
    this.server.on(event, callback);
  }

  /**
   * Clients send patterns already normalized, so an exact lookup finds them; Nest's version
   * first tries JSON.parse on every pattern, and the exception it throws for plain strings
   * cost a third of the CPU per message. Object patterns in another key order still resolve.
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    const handler = this.messageHandlers.get(pattern);
    if (handler) return handler;
    return pattern.startsWith('{') ? super.getHandlerByPattern(pattern) : null;
  }

  unwrap<T>(): T {
    return this.server as T;
  }

  private async start(): Promise<void> {
    if (Buffer.byteLength(this.path) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(
        `Socket path ${this.path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; choose a shorter run dir`,
      );
    }
    await mkdir(dirname(this.path), { recursive: true });
    try {
      await this.listenOnce();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      await removeStaleSocket(this.path);
      await this.listenOnce();
    }
    this._status$.next('listening');
  }

  private listenOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.path, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    this.connections.add(socket);
    const writer = new FrameWriter(socket);
    const decoder = new FrameDecoder(
      this.maxFrameBytes,
      (message) => this.handleMessage(socket, writer, message),
      (error: FrameError) => {
        this.logger.warn(`Closing IPC connection: ${error.message}`);
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    // A peer that vanishes mid-write raises EPIPE/ECONNRESET; 'close' follows and cleans up.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      decoder.stop();
      this.connections.delete(socket);
    });
  }

  private handleMessage(socket: Socket, writer: FrameWriter, message: unknown): void {
    if (!isWireRequest(message)) {
      this.logger.warn('Closing IPC connection: frame is not a request or event');
      socket.destroy();
      return;
    }
    const context = new UnixSocketContext([socket, message.pattern, message.metadata]);
    if (message.id === undefined) {
      this.handleEvent(message.pattern, message, context).catch((error: unknown) =>
        this.logger.error(`Event handler for '${message.pattern}' failed`, error),
      );
      return;
    }
    this.dispatchRequest(writer, message, message.id, context);
  }

  private dispatchRequest(
    writer: FrameWriter,
    message: WireRequest,
    id: number | string,
    context: UnixSocketContext,
  ): void {
    const handler = this.getHandlerByPattern(message.pattern);
    if (!handler) {
      this.respond(writer, id, { err: transportErrors.noHandler(message.pattern), isDisposed: true });
      return;
    }
    const produce = async (): Promise<Observable<unknown>> => {
      try {
        return this.transformToObservable(await handler(message.data, context)) as Observable<unknown>;
      } catch (error) {
        return throwError(() => error);
      }
    };
    this.handleRequest(context, produce, (packet) => this.respond(writer, id, packet));
  }

  private respond(writer: FrameWriter, id: number | string, packet: WritePacket): void {
    const response = packet.response as unknown;
    const err = packet.err as unknown;
    let json: string;
    try {
      json = JSON.stringify({ id, response, err, isDisposed: packet.isDisposed });
    } catch (error) {
      this.logger.error(`Cannot serialize the answer to request ${String(id)}`, error);
      json = JSON.stringify({ id, err: transportErrors.unserializable(), isDisposed: true });
    }
    let frame = encodeFrame(json);
    if (frame.length - 4 > this.maxFrameBytes) {
      this.logger.warn(`Answer to request ${String(id)} is ${frame.length - 4} bytes, over the frame limit`);
      frame = encodeFrame(
        JSON.stringify({
          id,
          err: transportErrors.tooLarge('Response', frame.length - 4, this.maxFrameBytes),
          isDisposed: true,
        }),
      );
    }
    writer.write(frame);
    if (writer.backlogBytes() > this.maxWriteBacklogBytes) {
      this.logger.warn('Closing IPC connection: the client does not read its answers');
      writer.destroy();
    }
  }
}
