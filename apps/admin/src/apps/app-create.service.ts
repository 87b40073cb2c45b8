import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { DbProbeDatabase, DbProbeResult } from '@sogoms/ipc';
import { DB_PATTERNS } from '@sogoms/ipc';
import { probeDatabase, provisionApp, type NewAppRequest } from '@sogoms/provisioning';
import type { FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';
import { AuditLog } from '../audit/audit-log.js';
import { SupervisorControl } from '../dashboard/supervisor-control.js';
import { FormRejected } from '../forms/form-rejected.js';
import { parseForm } from '../forms/form-parser.js';
import { AppCreateForm, ConnectionForm } from './app-create.form.js';
import { AppDatabase } from './app-database.js';

export interface ConnectionResult {
  ok: boolean;
  message: string;
}

/** A SogomsError's `details.field` (provisioning's or the probe's) → the form field it belongs to. */
const FORM_FIELD: Record<string, string> = {
  name: 'name',
  version: 'version',
  hosts: 'hosts',
  basePath: 'base_path',
  jwtSecret: 'jwt_secret',
  jwtExpiresIn: 'jwt_expires_in',
  host: 'db_host',
  port: 'db_port',
  user: 'db_user',
  password: 'db_password',
  'database.host': 'db_host',
  'database.port': 'db_port',
  'database.user': 'db_user',
  'database.password': 'db_password',
  'database.name': 'db_name',
};

const databaseOf = (form: ConnectionForm): DbProbeDatabase => ({
  host: form.db_host,
  port: Number(form.db_port),
  user: form.db_user,
  password: form.db_password,
  name: form.db_name,
});

/**
 * "New app": test the connection (db.probe through the db service), then provision — users
 * table, schema.yaml from a scan, app.yaml and secrets (mode 600) — and reload, so the new
 * app's API answers without a restart.
 */
@Injectable()
export class AppCreateService {
  constructor(
    private readonly db: AppDatabase,
    private readonly settings: AdminSettings,
    private readonly supervisor: SupervisorControl,
    private readonly audit: AuditLog,
  ) {}

  async testConnection(body: unknown): Promise<ConnectionResult> {
    let form: ConnectionForm;
    try {
      form = parseForm(ConnectionForm, body, 'connection-result');
    } catch (error) {
      if (error instanceof FormRejected) return { ok: false, message: Object.values(error.errors).join(' ') };
      throw error;
    }
    try {
      const result = (await this.db.call(DB_PATTERNS.probe, { database: databaseOf(form) })) as DbProbeResult;
      return { ok: true, message: `Connected: ${form.db_name} on MariaDB ${result.server_version}.` };
    } catch (error) {
      if (error instanceof SogomsError) return { ok: false, message: error.message };
      throw error;
    }
  }

  async create(request: FastifyRequest, body: unknown): Promise<string> {
    const form = parseForm(AppCreateForm, body, 'app-new');
    const typedSecret = form.jwt_mode === 'typed';
    if (typedSecret && form.jwt_secret.length < 32)
      throw new FormRejected(
        'app-new',
        { form },
        { jwt_secret: 'A typed secret has at least 32 characters.' },
      );
    const newApp: NewAppRequest = {
      name: form.name,
      version: form.version,
      hosts: form.hosts.split(/[\s,]+/).filter((host) => host !== ''),
      basePath: form.base_path,
      database: { driver: 'mariadb', ...databaseOf(form) },
      jwtSecret: typedSecret ? form.jwt_secret : undefined,
      jwtExpiresIn: form.jwt_expires_in,
    };
    let provisioned;
    try {
      // The connection must work: provisioning reads the catalog through the same probe.
      provisioned = await provisionApp(
        this.settings.configRoot,
        newApp,
        probeDatabase(this.db.call, databaseOf(form)),
      );
    } catch (error) {
      if (!(error instanceof SogomsError) || error.code === 'INTERNAL') throw error;
      const field = (error.details as { field?: unknown } | undefined)?.field;
      const formField = typeof field === 'string' ? (FORM_FIELD[field] ?? 'name') : 'name';
      throw new FormRejected(
        'app-new',
        { form: { ...form, jwt_secret: '' } },
        { [formField]: error.message },
      );
    }
    this.audit.record(request, {
      action: 'app.create',
      app: form.name,
      after: {
        hosts: newApp.hosts,
        base_path: newApp.basePath,
        database: `${form.db_user}@${form.db_host}:${form.db_port}/${form.db_name}`,
        tables: provisioned.tables,
      },
    });
    const reload = await this.supervisor.reload().catch((error: unknown) => error);
    const notice =
      reload instanceof Error
        ? `created ${form.name} (${provisioned.tables} tables); reload failed: ${reload.message}`
        : `created ${form.name} (${provisioned.tables} tables) and reloaded`;
    return `/apps/${form.name}?notice=${encodeURIComponent(notice)}`;
  }
}
