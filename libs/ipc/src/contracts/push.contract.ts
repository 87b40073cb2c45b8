/**
 * The push service's message patterns and payloads (docs/push.md). `crudEvent` is an event (no
 * answer: the gateway never waits for push); the others are request/response. Errors come back
 * as SogomsError: VALIDATION_FAILED (bad topic, channel, user id, since/limit; details {field}),
 * NOT_FOUND (unknown app), BAD_REQUEST (the app has no `push:`), UNAVAILABLE (the broker or the
 * database cannot be reached).
 */
export const PUSH_PATTERNS = {
  /** Fire-and-forget from the gateway's CRUD hook: recorded in the outbox, then published. */
  crudEvent: 'push.crud_event',
  /** Any topic without wildcards (operator use: `sogoms push publish`); not recorded. */
  publish: 'push.publish',
  /** `{app}/user/{user}/{channel}`, recorded in the app's outbox. */
  notifyUser: 'push.notify_user',
  /** `{app}/broadcast/{channel}`, recorded in the app's outbox. */
  broadcast: 'push.broadcast',
  /** The outbox after a sequence number, owner rule applied (`GET {base}/_events`). */
  events: 'push.events',
  /** `{ok: true, broker}` while the broker (embedded or external) is up. */
  health: 'push.health',
} as const;

/** The writes that publish an event. */
export type PushCrudOp = 'create' | 'update' | 'delete';

/** What the gateway hands over after a write committed. */
export interface PushCrudEvent {
  app: string;
  table: string;
  op: PushCrudOp;
  /** The key as in the URL (`7`, `1,23`). */
  id: string;
  /** The row as the API answered it (for delete: its key fields). */
  row: Record<string, unknown>;
  channel: string;
  /** The owner's user id (the topic `{app}/user/{owner}/{channel}`), or null: broadcast. */
  owner: string | null;
  /** When the write committed (ISO 8601, the gateway's clock). */
  at: string;
}

/** The payload of a CRUD event as published and as `_events` answers it. */
export interface PushCrudMessage {
  op: PushCrudOp;
  table: string;
  id: string;
  row: Record<string, unknown>;
  at: string;
  seq: number;
}

/** The payload of `notify_user` and `broadcast` as published. */
export interface PushNoticeMessage {
  channel: string;
  payload: unknown;
  at: string;
  seq: number;
}

export interface PushPublishRequest {
  topic: string;
  /** A string is sent as is; anything else as JSON. */
  payload: unknown;
  /** 0 or 1 (default 1). */
  qos?: 0 | 1;
  retain?: boolean;
}

export interface PushNotifyUserRequest {
  app: string;
  user: string;
  channel: string;
  payload: unknown;
}

export interface PushBroadcastRequest {
  app: string;
  channel: string;
  payload: unknown;
}

export interface PushPublished {
  topic: string;
  /** The outbox sequence number; null for `publish` (not recorded). */
  seq: number | null;
}

export interface PushEventsRequest {
  app: string;
  /** The caller: its own events and the app's broadcasts are answered. */
  user: string;
  /** Events with a larger sequence number (default 0: all kept). */
  since?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** One kept event: where it went and what was published. */
export interface PushStoredEvent {
  seq: number;
  channel: string;
  /** `user`: the caller's own topic; `broadcast`: the app's broadcast topic. */
  audience: 'user' | 'broadcast';
  message: PushCrudMessage | PushNoticeMessage;
}

export interface PushEventsPage {
  events: PushStoredEvent[];
  /** More events follow: ask again with `since` = the last seq. */
  more: boolean;
  /**
   * True when events after `since` may already have been purged (older than retention): the
   * client should reload its data instead of applying events.
   */
  truncated: boolean;
}
