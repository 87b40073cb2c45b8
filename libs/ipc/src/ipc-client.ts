import type { OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { SogomsError } from '@sogoms/common';
import type { Subscription } from 'rxjs';
import type { ObservedCalls } from './ipc-call-observer.js';
import { toSogomsError } from './ipc-error-mapper.js';
import { UnixSocketClient } from './transport/unix-socket.client.js';
import { transportErrors } from './transport/wire-message.js';

export interface IpcClientOptions {
  /** Default per-call timeout (GlobalConfig.ipc.timeoutMs). */
  timeoutMs: number;
  /** Told of every call, with `target` as the service name (metrics). */
  observer?: ObservedCalls | null;
}

export interface IpcCallOptions {
  timeoutMs?: number;
}

/**
 * The typed promise API every service uses to talk to another one, whatever the transport.
 * `call` rejects only with SogomsError; `emit` never throws and never waits.
 */
export class IpcClient implements OnApplicationShutdown {
  /** Events dropped because the peer was unreachable (logging must never block a request). */
  dropped = 0;
  private readonly timeoutMs: number;
  private readonly unix: UnixSocketClient | null;
  private connected = false;
  private readonly statusSubscription: Subscription;
  private readonly observed: ObservedCalls | null;

  constructor(
    readonly proxy: ClientProxy,
    options: IpcClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs;
    this.observed = options.observer ?? null;
    this.unix = proxy instanceof UnixSocketClient ? proxy : null;
    this.statusSubscription = proxy.status.subscribe((status) => {
      this.connected = status === 'connected';
    });
  }

  /**
   * Request/response. Rejects with the remote's SogomsError (same code), TIMEOUT after
   * `timeoutMs`, UNAVAILABLE when the peer cannot be reached, INTERNAL for anything else.
   * `data` must not be null or undefined (Nest's rule for every transport): send `{}`.
   */
  call<T>(pattern: string, data: unknown, opts?: IpcCallOptions): Promise<T> {
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    if (data === undefined || data === null) {
      return Promise.reject(
        new SogomsError('INTERNAL', `IPC payload of '${pattern}' must not be null or undefined`),
      );
    }
    if (this.unix) return this.unix.request<T>(pattern, data, timeoutMs, this.observed);
    const observed = this.observed;
    if (observed === null) return this.callThroughProxy<T>(pattern, data, timeoutMs);
    const started = performance.now();
    return this.callThroughProxy<T>(pattern, data, timeoutMs).then(
      (value) => {
        observed.observer.called(observed.target, pattern, (performance.now() - started) / 1000, null);
        return value;
      },
      (error: unknown) => {
        const code = error instanceof SogomsError ? error.code : 'INTERNAL';
        observed.observer.called(observed.target, pattern, (performance.now() - started) / 1000, code);
        throw error;
      },
    );
  }

  /** Fire-and-forget. When the peer is unreachable the event is dropped and counted. */
  emit(pattern: string, data: unknown): void {
    if (this.unix) {
      if (!this.unix.emitIfConnected(pattern, data)) this.dropped++;
      return;
    }
    try {
      this.proxy.emit(pattern, data).subscribe({ error: () => this.dropped++ });
    } catch {
      this.dropped++;
    }
  }

  async connect(): Promise<void> {
    try {
      await this.proxy.connect();
    } catch (error) {
      const mapped = toSogomsError(error);
      throw mapped.code === 'INTERNAL' ? new SogomsError('UNAVAILABLE', 'Service is unavailable') : mapped;
    }
  }

  isConnected(): boolean {
    return this.unix ? this.unix.isConnected() : this.connected;
  }

  async close(): Promise<void> {
    this.statusSubscription.unsubscribe();
    await this.proxy.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private callThroughProxy<T>(pattern: string, data: unknown, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let last: unknown;
      let settled = false;
      const subscription = this.proxy.send<unknown>(pattern, data).subscribe({
        next: (value) => {
          last = value;
        },
        error: (error: unknown) => {
          settled = true;
          clearTimeout(timer);
          reject(toSogomsError(error));
        },
        complete: () => {
          settled = true;
          clearTimeout(timer);
          resolve(last as T);
        },
      });
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(SogomsError.fromBody(transportErrors.timeout(pattern, timeoutMs)));
      }, timeoutMs);
      if (settled) clearTimeout(timer);
    });
  }
}
