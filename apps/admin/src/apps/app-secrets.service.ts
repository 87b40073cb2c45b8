import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import type { FastifyRequest } from 'fastify';
import { parse } from 'yaml';
import { AdminSettings } from '../admin-settings.js';
import { AuditLog } from '../audit/audit-log.js';
import { SupervisorControl } from '../dashboard/supervisor-control.js';

/**
 * A new JWT secret for an app: written to the file app.yaml names (`auth.jwt_secret_file`, mode
 * 600), then a reload. Every token signed with the old one stops working: everyone signs in again.
 */
@Injectable()
export class AppSecretsService {
  constructor(
    private readonly settings: AdminSettings,
    private readonly supervisor: SupervisorControl,
    private readonly audit: AuditLog,
  ) {}

  async regenerateJwt(request: FastifyRequest, app: AppConfig): Promise<string> {
    const appYaml = parse(readFileSync(join(app.dir, 'app.yaml'), 'utf8')) as {
      auth?: { jwt_secret_file?: unknown };
    };
    const file = appYaml.auth?.jwt_secret_file;
    if (typeof file !== 'string')
      throw new SogomsError(
        'BAD_REQUEST',
        `App '${app.name}' does not keep its JWT secret in a file (auth.jwt_secret_file): change it where it is set.`,
      );
    // *_file paths are relative to the config root (docs/configuration.md).
    const path = isAbsolute(file) ? file : join(this.settings.configRoot, file);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
    this.audit.record(request, { action: 'app.jwt_secret.regenerate', app: app.name, after: { file } });
    await this.supervisor.reload();
    return `/apps/${app.name}?notice=${encodeURIComponent('new JWT secret: every user signs in again')}`;
  }
}
