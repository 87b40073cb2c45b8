import { Injectable, Logger } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import type { PushCrudOp, PushEventsPage, PushPublished } from '@sogoms/ipc';
import { BrokerPublisher } from './broker/broker-publisher.js';
import { broadcastTopic, isPublishTopic, isTopicLevel, userTopic } from './broker/topic-access.js';
import { OutboxRepository } from './outbox/outbox.repository.js';
import { OutboxWriter } from './outbox/outbox-writer.js';
import { PushMetrics, type PublishedKind } from './push.metrics.js';
import { PushSettings, type PushApp } from './push-settings.js';

const MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_EVENTS = 1000;
const CHANNEL = /^[A-Za-z0-9_-]{1,64}$/;
const CRUD_OPS: readonly PushCrudOp[] = ['create', 'update', 'delete'];

const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', `${field}: ${message}`, { field });

const requestOf = (payload: unknown): Record<string, unknown> => {
  if (!isRecord(payload)) throw new SogomsError('BAD_REQUEST', 'The payload must be a mapping');
  return payload;
};

const stringOf = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'a non-empty string is required');
  return value;
};

const channelOf = (value: unknown): string => {
  if (typeof value !== 'string' || !CHANNEL.test(value))
    throw invalid('channel', 'one topic level of [A-Za-z0-9_-] (1 to 64) is required');
  return value;
};

const textOf = (payload: unknown): string => {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? null);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES)
    throw invalid('payload', `at most ${MAX_PAYLOAD_BYTES} bytes are allowed`);
  return text;
};

const intOf = (value: unknown, field: string, min: number, max: number, fallback: number): number => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw invalid(field, `an integer from ${min} to ${max} is required`);
  return value;
};

/**
 * The push service's actions. Events of an app are recorded in its outbox (which gives them
 * their sequence number) and then published with QoS 1; an event the outbox could not record is
 * still published live, with `seq: null`, and logged.
 */
@Injectable()
export class PushService {
  private readonly logger = new Logger('PushService');

  constructor(
    private readonly settings: PushSettings,
    private readonly broker: BrokerPublisher,
    private readonly writer: OutboxWriter,
    private readonly outbox: OutboxRepository,
    private readonly metrics: PushMetrics,
  ) {}

  /** From the gateway's CRUD hook: no answer is awaited, so every failure ends here, logged. */
  crudEvent(payload: unknown): void {
    void this.handleCrudEvent(payload).catch((error: unknown) =>
      this.logger.warn(`CRUD event not published: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async publish(payload: unknown): Promise<PushPublished> {
    const request = requestOf(payload);
    const topic = stringOf(request.topic, 'topic');
    if (!isPublishTopic(topic))
      throw invalid('topic', 'a topic without wildcards, empty levels or a leading $ is required');
    const qos = request.qos ?? 1;
    if (qos !== 0 && qos !== 1) throw invalid('qos', '0 or 1 is required');
    if (request.retain !== undefined && typeof request.retain !== 'boolean')
      throw invalid('retain', 'true or false is required');
    await this.send(topic, textOf(request.payload), qos, request.retain === true, '', 'topic');
    return { topic, seq: null };
  }

  notifyUser(payload: unknown): Promise<PushPublished> {
    const request = requestOf(payload);
    const app = this.settings.pushApp(stringOf(request.app, 'app'));
    const user = stringOf(request.user, 'user');
    if (!isTopicLevel(user)) throw invalid('user', 'a user id without / + # is required');
    const channel = channelOf(request.channel);
    textOf(request.payload);
    return this.deliver(app, 'user', channel, user, {
      channel,
      payload: request.payload ?? null,
      at: new Date().toISOString(),
    });
  }

  broadcast(payload: unknown): Promise<PushPublished> {
    const request = requestOf(payload);
    const app = this.settings.pushApp(stringOf(request.app, 'app'));
    const channel = channelOf(request.channel);
    textOf(request.payload);
    return this.deliver(app, 'broadcast', channel, null, {
      channel,
      payload: request.payload ?? null,
      at: new Date().toISOString(),
    });
  }

  async events(payload: unknown): Promise<PushEventsPage> {
    const request = requestOf(payload);
    const app = this.settings.pushApp(stringOf(request.app, 'app'));
    const user = stringOf(request.user, 'user');
    const since = intOf(request.since, 'since', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = intOf(request.limit, 'limit', 1, MAX_EVENTS, 100);
    const { events, more, oldest } = await this.outbox.after(app, user, since, limit);
    return { events, more, truncated: oldest !== null && since + 1 < oldest };
  }

  /** Healthy while the broker takes messages. */
  health(): { ok: true; broker: BrokerPublisher['kind'] } {
    if (!this.broker.isUp())
      throw new SogomsError('UNAVAILABLE', `The ${this.broker.kind} MQTT broker is not reachable`);
    return { ok: true, broker: this.broker.kind };
  }

  private async handleCrudEvent(payload: unknown): Promise<void> {
    const event = requestOf(payload);
    const app = this.settings.pushApp(stringOf(event.app, 'app'));
    const op = event.op as PushCrudOp;
    if (!CRUD_OPS.includes(op)) throw invalid('op', 'create, update or delete');
    const owner = event.owner === null ? null : stringOf(event.owner, 'owner');
    if (owner !== null && !isTopicLevel(owner)) throw invalid('owner', 'a user id without / + #');
    await this.deliver(app, 'crud', channelOf(event.channel), owner, {
      op,
      table: stringOf(event.table, 'table'),
      id: stringOf(event.id, 'id'),
      row: isRecord(event.row) ? event.row : {},
      at: stringOf(event.at, 'at'),
    });
  }

  private async deliver(
    app: PushApp,
    kind: PublishedKind,
    channel: string,
    owner: string | null,
    message: Record<string, unknown>,
  ): Promise<PushPublished> {
    const topic = owner === null ? broadcastTopic(app.name, channel) : userTopic(app.name, owner, channel);
    let seq: number | null = null;
    try {
      seq = await this.writer.record(app, { channel, owner, message });
    } catch (error) {
      this.logger.warn(
        `${app.name}: event not recorded in the outbox (published without seq): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await this.send(topic, JSON.stringify({ ...message, seq }), 1, false, app.name, kind);
    return { topic, seq };
  }

  private async send(
    topic: string,
    payload: string,
    qos: 0 | 1,
    retain: boolean,
    app: string,
    kind: PublishedKind,
  ): Promise<void> {
    try {
      await this.broker.publish(topic, payload, { qos, retain });
      this.metrics.publishedOne(app, kind, true);
    } catch (error) {
      this.metrics.publishedOne(app, kind, false);
      throw new SogomsError(
        'UNAVAILABLE',
        `The MQTT broker did not take the message: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
