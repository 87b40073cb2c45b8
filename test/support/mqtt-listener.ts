import { connect, ErrorWithSubackPacket, type IClientOptions, type MqttClient } from 'mqtt';

/** One message as a test client received it. */
export interface Received {
  topic: string;
  json: any;
}

/** A real MQTT client (mqtt 5, MQTT 3.1.1) that records what it receives. */
export interface MqttListener {
  client: MqttClient;
  received: Received[];
  /** The granted QoS of each filter (128: refused). */
  subscribe(filter: string | string[]): Promise<number[]>;
  /** Resolves with the first received message (from now or before) that matches, or rejects after timeoutMs. */
  waitFor(match: (m: Received) => boolean, timeoutMs?: number): Promise<Received>;
  /** Resolves when the broker closes the connection. */
  closed(timeoutMs: number): Promise<void>;
  end(): Promise<void>;
}

export const connectMqtt = async (
  url: string,
  token: string,
  options: IClientOptions = {},
): Promise<MqttListener> => {
  const client = connect(url, {
    protocolVersion: 4,
    username: 'test',
    password: token,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
  const received: Received[] = [];
  // Listening before CONNACK: a persistent session's queued messages follow it at once.
  client.on('message', (topic, payload) => {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      json = payload.toString('utf8');
    }
    received.push({ topic, json });
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.once('close', () => reject(new Error('Connection closed before CONNACK')));
  });
  return {
    client,
    received,
    subscribe: async (filter) => {
      try {
        return (await client.subscribeAsync(filter, { qos: 1 })).map((g) => g.qos);
      } catch (error) {
        // mqtt.js rejects a SUBACK holding a refusal; the packet still says which filter was refused.
        if (error instanceof ErrorWithSubackPacket) return (error.packet.granted as number[]).map((q) => q);
        throw error;
      }
    },
    waitFor: (match, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const poll = (): void => {
          const found = received.find(match);
          if (found !== undefined) return resolve(found);
          if (Date.now() > deadline)
            return reject(new Error(`no matching message; received ${JSON.stringify(received)}`));
          setTimeout(poll, 20);
        };
        poll();
      }),
    closed: (timeoutMs) =>
      new Promise((resolve, reject) => {
        if (!client.connected) return resolve();
        const timer = setTimeout(() => reject(new Error('the connection stayed open')), timeoutMs);
        client.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    end: () => client.endAsync(true),
  };
};
