import {
  PUSH_PATTERNS,
  type IpcClient,
  type PushCrudEvent,
  type PushEventsPage,
  type PushEventsRequest,
} from '@sogoms/ipc';

/** Events held while the push service is not connected; beyond this many, new ones are dropped. */
const MAX_BACKLOG = 1000;
const RETRY_CONNECT_MS = 1000;

/** Typed calls to the push service. */
export class PushClient {
  /** Events dropped because the backlog was full (the push service down for long). */
  dropped = 0;
  private readonly backlog: PushCrudEvent[] = [];
  private connecting = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly ipc: IpcClient) {}

  /**
   * Hands a committed write's event over and returns at once: never awaited, never throws.
   * While the push service is not connected (not yet, or restarting), events wait in a bounded
   * backlog sent in order once it is; so push can never fail, slow or block a request.
   */
  crudEvent(event: PushCrudEvent): void {
    if (this.backlog.length === 0 && this.ipc.isConnected()) {
      this.ipc.emit(PUSH_PATTERNS.crudEvent, event);
      return;
    }
    if (this.backlog.length >= MAX_BACKLOG) this.dropped++;
    else this.backlog.push(event);
    this.connect();
  }

  events(request: PushEventsRequest): Promise<PushEventsPage> {
    return this.ipc.call<PushEventsPage>(PUSH_PATTERNS.events, request);
  }

  private connect(): void {
    if (this.connecting || this.retry !== undefined) return;
    this.connecting = true;
    this.ipc.connect().then(
      () => {
        this.connecting = false;
        for (const event of this.backlog.splice(0)) this.ipc.emit(PUSH_PATTERNS.crudEvent, event);
      },
      () => {
        this.connecting = false;
        this.retry = setTimeout(() => {
          this.retry = undefined;
          if (this.backlog.length > 0) this.connect();
        }, RETRY_CONNECT_MS);
        this.retry.unref();
      },
    );
  }
}
