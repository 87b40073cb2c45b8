import {
  PUSH_PATTERNS,
  type IpcClient,
  type PushCrudEvent,
  type PushEventsPage,
  type PushEventsRequest,
} from '@sogoms/ipc';

/** Typed calls to the push service. */
export class PushClient {
  constructor(private readonly ipc: IpcClient) {}

  /**
   * Hands a committed write's event over and returns at once: never awaited, never throws.
   * While the push service is down the event is dropped (and counted), so push can never fail,
   * slow or block a request.
   */
  crudEvent(event: PushCrudEvent): void {
    this.ipc.emit(PUSH_PATTERNS.crudEvent, event);
  }

  /** Events dropped because the push service was unreachable. */
  get dropped(): number {
    return this.ipc.dropped;
  }

  events(request: PushEventsRequest): Promise<PushEventsPage> {
    return this.ipc.call<PushEventsPage>(PUSH_PATTERNS.events, request);
  }
}
