import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { GlobalConfig } from '@sogoms/config';
import { IPC_CALL_OBSERVER, type IpcCallObserver } from './ipc-call-observer.js';
import { IpcClient } from './ipc-client.js';
import { createClientProxy } from './transport-options.js';

/** Injection token of the IpcClient for `service`: `@Inject(ipcClientToken('db'))`. */
export const ipcClientToken = (service: string): string => `sogoms.ipc_client.${service}`;

/**
 * Provides one IpcClient per named service (connected lazily, closed on shutdown). Each reports
 * its calls to the IPC_CALL_OBSERVER when one is provided (MetricsModule).
 */
@Module({})
export class IpcModule {
  static forClients(config: GlobalConfig, services: readonly string[]): DynamicModule {
    const providers: Provider[] = services.map((service) => ({
      provide: ipcClientToken(service),
      inject: [{ token: IPC_CALL_OBSERVER, optional: true }],
      useFactory: (observer?: IpcCallObserver | null): IpcClient =>
        new IpcClient(createClientProxy(config, service), {
          timeoutMs: config.ipc.timeoutMs,
          observer: observer ? { target: service, observer } : null,
        }),
    }));
    return { module: IpcModule, providers, exports: providers };
  }
}
