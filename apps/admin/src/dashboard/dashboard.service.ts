import { Injectable } from '@nestjs/common';
import type { ServiceStatus } from '@sogoms/ipc';
import type { FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';
import { AuditLog } from '../audit/audit-log.js';
import { RequestCounts } from './request-counts.js';
import { SupervisorControl } from './supervisor-control.js';

export interface DashboardView {
  services: ServiceStatus[];
  supervisorError: string | null;
  apps: { name: string; hosts: string[]; basePath: string; requests: number | null }[];
}

@Injectable()
export class DashboardService {
  constructor(
    private readonly supervisor: SupervisorControl,
    private readonly counts: RequestCounts,
    private readonly settings: AdminSettings,
    private readonly audit: AuditLog,
  ) {}

  async view(request: FastifyRequest): Promise<DashboardView> {
    const [status, counts] = await Promise.all([
      this.supervisor.status().then(
        (result) => ({ services: result.services, error: null }),
        (error: unknown) => ({
          services: [] as ServiceStatus[],
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
      this.counts.byApp(),
    ]);
    const user = request.adminUser;
    const apps = this.settings
      .apps()
      .filter((app) => user?.role === 'super_admin' || (user?.apps ?? []).includes(app.name))
      .map((app) => ({
        name: app.name,
        hosts: app.hosts,
        basePath: app.basePath,
        requests: counts.get(app.name) ?? null,
      }));
    return { services: status.services, supervisorError: status.error, apps };
  }

  async restart(request: FastifyRequest, service: string): Promise<string> {
    const result = await this.supervisor.restart(service);
    this.audit.record(request, { action: 'service.restart', after: { service, pid: result.service.pid } });
    return `/?notice=${encodeURIComponent(`${service} restarted (pid ${result.service.pid ?? '-'})`)}`;
  }

  async reload(request: FastifyRequest): Promise<string> {
    const result = await this.supervisor.reload();
    const failed = result.services.filter((service) => service.applied === false);
    this.audit.record(request, {
      action: 'config.reload',
      after: { services: result.services.map((s) => s.name), failed: failed.map((s) => s.name) },
    });
    const notice =
      failed.length === 0
        ? `reloaded: ${result.services.map((s) => s.name).join(', ')}`
        : `reload refused by ${failed.map((s) => `${s.name} (${s.error ?? 'error'})`).join(', ')}`;
    return `/?notice=${encodeURIComponent(notice)}`;
  }
}
