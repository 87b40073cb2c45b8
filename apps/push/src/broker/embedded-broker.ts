import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Aedes, type Client } from 'aedes';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { PushConfig } from '@sogoms/config';
import { BrokerPublisher, type PublishOptions } from './broker-publisher.js';
import type { ClientAccess } from './client-access.js';

/** The WebSocket path browsers connect to (`ws://host:{ws_port}/mqtt`). */
export const WS_PATH = '/mqtt';
/** Clients never publish: anything bigger than a subscribe is not a client of ours. */
const WS_MAX_PAYLOAD = 64 * 1024;

const listening = (server: Server | WebSocketServer): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

/**
 * An Aedes 1.x broker in this process (MQTT 3.1.1), on TCP (`push.port`) and WebSocket
 * (`push.ws_port`, path /mqtt, through ws' createWebSocketStream). Sessions and QoS 1 messages
 * for offline persistent sessions are kept in memory: they live as long as this process.
 */
export class EmbeddedBroker extends BrokerPublisher implements OnApplicationShutdown {
  readonly kind = 'embedded';
  private readonly logger = new Logger('EmbeddedBroker');
  private up = false;

  private constructor(
    private readonly aedes: Aedes,
    private readonly tcp: Server,
    private readonly ws: WebSocketServer,
    /** Clients between aedes' `client` (CONNACK sent) and `clientDisconnect`, with their app. */
    private readonly clients: Map<Client, string>,
  ) {
    super();
  }

  static async start(config: PushConfig, access: ClientAccess): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker({
      authenticate: (client, _username, password, done) => access.authenticate(client, password, done),
      authorizeSubscribe: (client, subscription, done) =>
        done(null, access.authorizeSubscribe(client, subscription)),
      authorizePublish: (client, packet, done) => done(access.authorizePublish(client, packet)),
    });
    const connected = new Map<Client, string>();
    aedes.on('client', (client) => connected.set(client, access.appOf(client) ?? ''));
    aedes.on('clientDisconnect', (client) => {
      connected.delete(client);
      access.disconnected(client);
    });
    const tcp = createServer((socket) => aedes.handle(socket));
    const tcpUp = listening(tcp);
    tcp.listen(config.port, config.host);
    await tcpUp;
    const ws = new WebSocketServer({
      host: config.host,
      port: config.wsPort,
      path: WS_PATH,
      maxPayload: WS_MAX_PAYLOAD,
    });
    ws.on('connection', (socket, request) => aedes.handle(createWebSocketStream(socket), request));
    try {
      await listening(ws);
    } catch (error) {
      tcp.close();
      throw error;
    }
    const broker = new EmbeddedBroker(aedes, tcp, ws, connected);
    broker.up = true;
    broker.logger.log(
      `MQTT on ${config.host}:${broker.ports().tcp}, WebSocket on ${config.host}:${broker.ports().ws}${WS_PATH}`,
    );
    return broker;
  }

  /** The ports listened on (the configured ones, or the ones picked for port 0). */
  ports(): { tcp: number; ws: number } {
    return {
      tcp: (this.tcp.address() as AddressInfo).port,
      ws: (this.ws.address() as AddressInfo).port,
    };
  }

  publish(topic: string, payload: string, options: PublishOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      this.aedes.publish(
        {
          cmd: 'publish',
          topic,
          payload: Buffer.from(payload),
          qos: options.qos,
          retain: options.retain,
          dup: false,
        },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  connectedClients(): ReadonlyMap<string, number> {
    const perApp = new Map<string, number>();
    for (const app of this.clients.values()) perApp.set(app, (perApp.get(app) ?? 0) + 1);
    return perApp;
  }

  isUp(): boolean {
    return this.up && !this.aedes.closed;
  }

  async onApplicationShutdown(): Promise<void> {
    this.up = false;
    for (const client of this.ws.clients) client.terminate();
    await Promise.all([
      new Promise<void>((resolve) => this.ws.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
      new Promise<void>((resolve) => this.aedes.close(() => resolve())),
    ]);
  }
}
