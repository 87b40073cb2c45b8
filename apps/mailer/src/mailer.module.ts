import { Module, type DynamicModule } from '@nestjs/common';
import type { LoadedConfig } from '@sogoms/config';
import { IpcModule } from '@sogoms/ipc';
import { MetricsModule } from '@sogoms/metrics';
import { MailWorker } from './delivery/mail-worker.js';
import { SmtpTransports } from './delivery/smtp-transports.js';
import { DEFAULT_WORKER_TIMING, WORKER_TIMING, type WorkerTiming } from './delivery/worker-timing.js';
import { InboxController } from './inbox/inbox.controller.js';
import { MailReceivedLog } from './inbox/mail-received.log.js';
import { InboxService } from './inbox/inbox.service.js';
import { InboxWatchers } from './inbox/inbox-watchers.js';
import { MailerController } from './mailer.controller.js';
import { MailerService } from './mailer.service.js';
import { MailerSettings } from './mailer-settings.js';
import { MailQueueMetrics } from './queue/mail-queue.metrics.js';
import { MailQueueRepository } from './queue/mail-queue.repository.js';
import { QueueDatabase } from './queue/queue-database.js';
import { GatewayRowWriter } from './rules/gateway-row.writer.js';
import { InboxRecordRepository } from './rules/inbox-record.repository.js';
import { MailRules } from './rules/mail-rules.js';
import { RuleRunner } from './rules/rule-runner.js';
import { WebhookQueue } from './rules/webhook-queue.js';
import { TemplateFiles } from './templates/template-files.js';
import { TemplateRenderer } from './templates/template-renderer.js';

export interface MailerModuleOptions {
  config: LoadedConfig;
  /** Tests shorten the poll, lease and backoff. */
  timing?: Partial<WorkerTiming>;
}

/** Everything the mailer process runs: its handlers, the queue over the db service, the worker, mail in. */
@Module({})
export class MailerModule {
  static forRoot({ config, timing }: MailerModuleOptions): DynamicModule {
    return {
      module: MailerModule,
      imports: [
        MetricsModule.forService('mailer', config.global),
        IpcModule.forClients(config.global, ['db', 'logs']),
      ],
      controllers: [MailerController, InboxController],
      providers: [
        {
          provide: MailerSettings,
          useFactory: (): MailerSettings => {
            const settings = new MailerSettings();
            settings.replace(config);
            return settings;
          },
        },
        {
          provide: MailRules,
          // A bad mailrules.yaml stops the start here, with its file:line messages.
          useFactory: (): MailRules => {
            const rules = new MailRules();
            rules.replace(config);
            return rules;
          },
        },
        { provide: WORKER_TIMING, useValue: { ...DEFAULT_WORKER_TIMING, ...timing } },
        QueueDatabase,
        MailQueueRepository,
        MailQueueMetrics,
        TemplateFiles,
        TemplateRenderer,
        SmtpTransports,
        MailWorker,
        MailerService,
        InboxService,
        InboxRecordRepository,
        GatewayRowWriter,
        WebhookQueue,
        RuleRunner,
        InboxWatchers,
        MailReceivedLog,
      ],
    };
  }
}
