import { Module, type DynamicModule } from '@nestjs/common';
import { TokenService } from '@sogoms/auth';
import type { LoadedConfig } from '@sogoms/config';
import { IpcModule } from '@sogoms/ipc';
import { MetricsModule } from '@sogoms/metrics';
import { BrokerPublisher } from './broker/broker-publisher.js';
import { ClientAccess } from './broker/client-access.js';
import { OutboxDatabase } from './outbox/outbox-database.js';
import { OutboxRepository } from './outbox/outbox.repository.js';
import { OutboxRetention } from './outbox/outbox-retention.js';
import { OutboxWriter } from './outbox/outbox-writer.js';
import { PushController } from './push.controller.js';
import { PushMetrics } from './push.metrics.js';
import { PushService } from './push.service.js';
import { PushSettings } from './push-settings.js';

export interface PushModuleOptions {
  config: LoadedConfig;
}

/** Everything the push process runs: its handlers, the broker (embedded or external), the outbox over the db service. */
@Module({})
export class PushModule {
  static forRoot({ config }: PushModuleOptions): DynamicModule {
    return {
      module: PushModule,
      imports: [MetricsModule.forService('push', config.global), IpcModule.forClients(config.global, ['db'])],
      controllers: [PushController],
      providers: [
        {
          provide: PushSettings,
          useFactory: (): PushSettings => {
            const settings = new PushSettings();
            settings.replace(config);
            return settings;
          },
        },
        { provide: TokenService, useFactory: (): TokenService => new TokenService() },
        ClientAccess,
        {
          provide: BrokerPublisher,
          inject: [PushSettings, ClientAccess],
          // Only the mode in use is loaded: aedes and the mqtt client each cost memory.
          useFactory: async (settings: PushSettings, access: ClientAccess): Promise<BrokerPublisher> =>
            settings.push.broker === 'embedded'
              ? (await import('./broker/embedded-broker.js')).EmbeddedBroker.start(settings.push, access)
              : (await import('./broker/external-broker.js')).ExternalBroker.start(settings.push),
        },
        OutboxDatabase,
        OutboxRepository,
        OutboxWriter,
        OutboxRetention,
        PushMetrics,
        PushService,
      ],
    };
  }
}
