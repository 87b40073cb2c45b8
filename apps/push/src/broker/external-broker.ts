import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type MqttClient } from 'mqtt';
import type { PushConfig } from '@sogoms/config';
import { BrokerPublisher, type PublishOptions } from './broker-publisher.js';

/**
 * `push.broker: external`: a broker the site already runs. The service only publishes there,
 * with its own credentials (`push.external`); who may subscribe to what is that broker's
 * configuration. mqtt.js reconnects by itself and keeps QoS 1 messages until the broker has them.
 */
export class ExternalBroker extends BrokerPublisher implements OnApplicationShutdown {
  readonly kind = 'external';

  /** Who subscribes there is that broker's business; it does not tell us. */
  connectedClients(): null {
    return null;
  }
  private readonly logger = new Logger('ExternalBroker');

  private constructor(private readonly client: MqttClient) {
    super();
  }

  static start(config: PushConfig): ExternalBroker {
    const external = config.external;
    if (external === null) throw new Error('push.broker is external but push.external is missing');
    const client = connect(external.url, {
      protocolVersion: 4,
      clientId: external.clientId,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      ...(external.username === null ? {} : { username: external.username }),
      ...(external.password === null ? {} : { password: external.password }),
    });
    const broker = new ExternalBroker(client);
    client.on('connect', () => broker.logger.log(`connected to ${external.url}`));
    client.on('error', (error) => broker.logger.warn(`${external.url}: ${error.message}`));
    return broker;
  }

  async publish(topic: string, payload: string, options: PublishOptions): Promise<void> {
    await this.client.publishAsync(topic, payload, options);
  }

  isUp(): boolean {
    return this.client.connected;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.endAsync();
  }
}
