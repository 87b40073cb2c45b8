import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const SUFFIX = randomBytes(3).toString('hex');
const DB = `sogoms_test_push_ext_${SUFFIX}`;
const APP = `ext${SUFFIX}`;
const SECRET = 'push-external-secret-0123456789abcdef012345';
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };
/** The Mosquitto these machines run (anonymous clients allowed, so any credentials are taken). */
const MOSQUITTO = 'mqtt://127.0.0.1:1883';

describe('push.broker: external, publishing to the local Mosquitto', () => {
  let stack: TestStack;
  let subscriber: MqttClient;
  const received: { topic: string; json: any }[] = [];

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    stack.call({
      host: 'ext.test',
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });

  beforeAll(async () => {
    await createDemoDatabase(DB);
    const schemaYaml = await scanSchemaYaml(DB);
    stack = await startStack(
      [
        {
          name: APP,
          hosts: ['ext.test'],
          database: DB,
          secret: SECRET,
          schemaYaml,
          appYaml: { push: { tables: { tasks: { channel: 'tasks' } } } },
        },
      ],
      {
        push: {
          broker: 'external',
          external: {
            url: MOSQUITTO,
            username: 'sogoms-push',
            password: 'push-secret',
            client_id: `push-${SUFFIX}`,
          },
        },
      },
    );
    subscriber = connect(MOSQUITTO, { protocolVersion: 4, clientId: `watch-${SUFFIX}`, reconnectPeriod: 0 });
    subscriber.on('message', (topic, payload) =>
      received.push({ topic, json: JSON.parse(payload.toString()) }),
    );
    await new Promise<void>((resolve, reject) => {
      subscriber.once('connect', () => resolve());
      subscriber.once('error', reject);
    });
    await subscriber.subscribeAsync(`${APP}/#`, { qos: 1 });
  }, 90_000);

  afterAll(async () => {
    await subscriber?.endAsync(true);
    await stack?.stop();
    await dropDatabase(DB);
  });

  it('publishes CRUD events and notices there, and keeps the outbox the same way', async () => {
    const login = await call('POST', '/auth/login', undefined, DEMO);
    const token = login.json.data.token as string;
    const id = String(login.json.data.user.id);
    // The push service connects to Mosquitto on its own schedule: write until an event shows.
    await waitUntil(
      'an event on Mosquitto',
      async () => {
        await call('POST', '/tasks', token, { title: 'via mosquitto' });
        return received.some((m) => m.json.op === 'create');
      },
      20_000,
    );
    const event = received.find((m) => m.json.op === 'create')!;
    expect(event.topic).toBe(`${APP}/user/${id}/tasks`);
    expect(event.json).toMatchObject({ table: 'tasks', row: { title: 'via mosquitto' } });
    expect(typeof event.json.seq).toBe('number');

    const notify = await stack.cli('push', 'broadcast', APP, 'news', '{"v":2}');
    expect(notify.code).toBe(0);
    await waitUntil(
      'the broadcast',
      () => Promise.resolve(received.some((m) => m.topic === `${APP}/broadcast/news`)),
      5000,
    );
    const events = (await call('GET', '/_events?since=0&limit=1000', token)).json.data.events as unknown[];
    expect(events.length).toBeGreaterThanOrEqual(2);
  });
});
