import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AdminUsersFile, adminUsersPath } from '@sogoms/admin-users';
import type { LoadedConfig } from '@sogoms/config';
import { IpcClient, IpcModule, ipcClientToken, LogReporter } from '@sogoms/ipc';
import { AdminSettings } from './admin-settings.js';
import { AppCatalogService } from './apps/app-catalog.service.js';
import { AppCreateService } from './apps/app-create.service.js';
import { AppDatabase } from './apps/app-database.js';
import { AppSchemaService } from './apps/app-schema.service.js';
import { AppSecretsService } from './apps/app-secrets.service.js';
import { AppUsersController } from './apps/app-users.controller.js';
import { AppUsersService } from './apps/app-users.service.js';
import { AppsController } from './apps/apps.controller.js';
import { JobsController } from './jobs/jobs.controller.js';
import { JobsService } from './jobs/jobs.service.js';
import { LogsController } from './logs/logs.controller.js';
import { LogsService } from './logs/logs.service.js';
import { MailController } from './mail/mail.controller.js';
import { MailService } from './mail/mail.service.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditLog } from './audit/audit-log.js';
import { AuditService } from './audit/audit.service.js';
import { AccessGuard } from './auth/access.guard.js';
import { LoginController } from './auth/login.controller.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { UsedTotpCodes } from './auth/used-totp-codes.js';
import { LoginService } from './auth/login.service.js';
import { DashboardController } from './dashboard/dashboard.controller.js';
import { HealthController } from './health.controller.js';
import { DashboardService } from './dashboard/dashboard.service.js';
import { RequestCounts } from './dashboard/request-counts.js';
import { SupervisorControl } from './dashboard/supervisor-control.js';
import { AdminExceptionFilter } from './http/admin-exception.filter.js';
import { PageContext } from './http/page-context.js';
import { PageInterceptor } from './http/page.interceptor.js';
import { AdminSessionStore } from './session/admin-session-store.js';
import { SessionsController } from './session/sessions.controller.js';
import { SessionsService } from './session/sessions.service.js';

export interface AdminModuleOptions {
  configRoot: string;
  config: LoadedConfig;
}

/** The admin web UI: its pages, its security, and its clients of the other services. */
@Module({})
export class AdminModule {
  static forRoot({ configRoot, config }: AdminModuleOptions): DynamicModule {
    const { admin } = config.global;
    return {
      module: AdminModule,
      imports: [IpcModule.forClients(config.global, ['db', 'logs', 'mailer', 'cron'])],
      controllers: [
        HealthController,
        LoginController,
        DashboardController,
        SessionsController,
        AuditController,
        AppsController,
        AppUsersController,
        JobsController,
        MailController,
        LogsController,
      ],
      providers: [
        { provide: AdminSettings, useFactory: (): AdminSettings => new AdminSettings(config, configRoot) },
        {
          provide: AdminUsersFile,
          useFactory: (): AdminUsersFile => new AdminUsersFile(adminUsersPath(configRoot)),
        },
        {
          provide: AdminSessionStore,
          useFactory: (): AdminSessionStore =>
            new AdminSessionStore(admin.sessionIdleS * 1000, admin.sessionAbsoluteS * 1000),
        },
        {
          provide: LogReporter,
          inject: [ipcClientToken('logs')],
          useFactory: (logs: IpcClient): LogReporter => new LogReporter(logs, 'admin'),
        },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: AdminExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: PageInterceptor },
        PageContext,
        AuditLog,
        AuditService,
        LoginLimiter,
        UsedTotpCodes,
        LoginService,
        SupervisorControl,
        RequestCounts,
        DashboardService,
        SessionsService,
        AppDatabase,
        AppCatalogService,
        AppCreateService,
        AppSchemaService,
        AppSecretsService,
        AppUsersService,
        JobsService,
        MailService,
        LogsService,
      ],
    };
  }
}
