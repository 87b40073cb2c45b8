import { Global, Module } from '@nestjs/common';
import { LogReporter } from '@sogoms/ipc';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../core/gateway-options.js';
import { ModuleLoader } from '../extensions/module-loader.js';
import { runtimeExtender } from '../extensions/runtime-extender.js';
import { DbClient } from '../ipc/db.client.js';
import { PushClient } from '../ipc/push.client.js';
import { crudPushModule } from '../push/crud-push.module.js';
import { GatewayState } from './gateway-state.js';

/**
 * The apps' snapshot, built before the gateway listens. Their modules are loaded with it (and
 * again on each reload), so they get the same db and logs clients as the gateway; an app's
 * `push:` becomes its last hook.
 */
@Global()
@Module({
  providers: [
    {
      provide: GatewayState,
      inject: [GATEWAY_OPTIONS, DbClient, LogReporter, PushClient],
      useFactory: (
        options: GatewayOptions,
        db: DbClient,
        logs: LogReporter,
        push: PushClient,
      ): Promise<GatewayState> =>
        GatewayState.create(
          options.configRoot,
          runtimeExtender(new ModuleLoader({ db, logs }), logs, (runtime) => {
            const module = crudPushModule(runtime, push);
            return module === null ? [] : [module];
          }),
          { runDir: options.global.runDir },
        ),
    },
  ],
  exports: [GatewayState],
})
export class SnapshotModule {}
