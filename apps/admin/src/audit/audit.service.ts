import { Inject, Injectable } from '@nestjs/common';
import { IpcClient, ipcClientToken, LOGS_PATTERNS, type LogPage } from '@sogoms/ipc';
import { AUDIT_APP, AUDIT_KIND } from './audit-log.js';
import { logQueryOf } from '../logs/log-query.js';

export interface AuditView {
  page: LogPage;
  text: string;
}

@Injectable()
export class AuditService {
  constructor(@Inject(ipcClientToken('logs')) private readonly logs: IpcClient) {}

  async view(query: Record<string, unknown>): Promise<AuditView> {
    const request = { ...logQueryOf(query), app: AUDIT_APP, kind: AUDIT_KIND, type: 'event' as const };
    return { page: await this.logs.call<LogPage>(LOGS_PATTERNS.query, request), text: request.text ?? '' };
  }
}
