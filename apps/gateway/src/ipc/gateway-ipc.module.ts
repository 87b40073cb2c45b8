import { Global, Module, type DynamicModule } from '@nestjs/common';
import { IpcClient, IpcModule, LogReporter, ipcClientToken } from '@sogoms/ipc';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../core/gateway-options.js';
import { DB_CONNECTION, connectDb, type DbConnection } from './db-connection.js';
import { DbClient } from './db.client.js';
import { MailerClient } from './mailer.client.js';
import { PushClient } from './push.client.js';

/** The gateway's peers: the logs service, the db module (over IPC, or in this process), the mailer and push. */
@Global()
@Module({})
export class GatewayIpcModule {
  static forRoot(options: GatewayOptions): DynamicModule {
    return {
      module: GatewayIpcModule,
      imports: [IpcModule.forClients(options.global, ['logs', 'db', 'mailer', 'push'])],
      providers: [
        {
          provide: LogReporter,
          inject: [ipcClientToken('logs')],
          useFactory: (logs: IpcClient): LogReporter => new LogReporter(logs, 'gateway'),
        },
        {
          provide: DB_CONNECTION,
          inject: [GATEWAY_OPTIONS, ipcClientToken('db'), ipcClientToken('logs')],
          useFactory: (opts: GatewayOptions, db: IpcClient, logs: IpcClient): Promise<DbConnection> =>
            connectDb(opts.configRoot, opts.global, db, logs),
        },
        {
          provide: DbClient,
          inject: [DB_CONNECTION],
          useFactory: (connection: DbConnection): DbClient =>
            new DbClient(connection.caller, () => connection.close()),
        },
        {
          provide: MailerClient,
          inject: [ipcClientToken('mailer')],
          useFactory: (mailer: IpcClient): MailerClient => new MailerClient(mailer),
        },
        {
          provide: PushClient,
          inject: [ipcClientToken('push')],
          useFactory: (push: IpcClient): PushClient => new PushClient(push),
        },
      ],
      // The IPC clients too: health checks that logs and the mailer answer.
      exports: [IpcModule, LogReporter, DB_CONNECTION, DbClient, MailerClient, PushClient],
    };
  }
}
