import { Global, Module } from '@nestjs/common';
import { LogReporter } from '@sogoms/ipc';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../core/gateway-options.js';
import { ModuleLoader } from '../extensions/module-loader.js';
import { runtimeExtender } from '../extensions/runtime-extender.js';
import { DbClient } from '../ipc/db.client.js';
import { GatewayState } from './gateway-state.js';

/**
 * The apps' snapshot, built before the gateway listens. Their modules are loaded with it (and
 * again on each reload), so they get the same db and logs clients as the gateway.
 */
@Global()
@Module({
  providers: [
    {
      provide: GatewayState,
      inject: [GATEWAY_OPTIONS, DbClient, LogReporter],
      useFactory: (options: GatewayOptions, db: DbClient, logs: LogReporter): Promise<GatewayState> =>
        GatewayState.create(options.configRoot, runtimeExtender(new ModuleLoader({ db, logs }), logs), {
          runDir: options.global.runDir,
        }),
    },
  ],
  exports: [GatewayState],
})
export class SnapshotModule {}
