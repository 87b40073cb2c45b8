import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { GlobalConfig } from '@sogoms/config';
import { IpcClient } from './ipc-client.js';
import { createClientProxy } from './transport-options.js';

/** Injection token of the IpcClient for `service`: `@Inject(ipcClientToken('db'))`. */
export const ipcClientToken = (service: string): string => `sogoms.ipc_client.${service}`;

/** Provides one IpcClient per named service (connected lazily, closed on shutdown). */
@Module({})
export class IpcModule {
  static forClients(config: GlobalConfig, services: readonly string[]): DynamicModule {
    const providers: Provider[] = services.map((service) => ({
      provide: ipcClientToken(service),
      useFactory: (): IpcClient =>
        new IpcClient(createClientProxy(config, service), { timeoutMs: config.ipc.timeoutMs }),
    }));
    return { module: IpcModule, providers, exports: providers };
  }
}
