import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import { loadSchemaFile, type TableDef } from '@sogoms/schema';
import type { FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';
import { canAccessApp } from '@sogoms/admin-users';

export interface AppRoute {
  method: string;
  path: string;
  what: string;
}

export interface AppDetail {
  app: AppConfig;
  tables: TableDef[];
  routes: AppRoute[];
  docsUrl: string;
}

/** The routes the gateway generates for a table (docs/api.md), as the detail page lists them. */
const tableRoutes = (base: string, table: TableDef): AppRoute[] => {
  const routes: AppRoute[] = [];
  const has = (op: string): boolean => (table.crud as string[]).includes(op);
  if (has('list')) routes.push({ method: 'GET', path: `${base}/${table.name}`, what: `list ${table.name}` });
  if (has('create'))
    routes.push({ method: 'POST', path: `${base}/${table.name}`, what: `create a ${table.name} row` });
  if (has('read')) routes.push({ method: 'GET', path: `${base}/${table.name}/:id`, what: 'read one row' });
  if (has('update'))
    routes.push({ method: 'PATCH', path: `${base}/${table.name}/:id`, what: 'update one row' });
  if (has('delete'))
    routes.push({ method: 'DELETE', path: `${base}/${table.name}/:id`, what: 'delete one row' });
  return routes;
};

const AUTH_ROUTES = ['register', 'login', 'refresh', 'logout', 'me'];

/** The apps the user may see, and one app's data dictionary and generated routes. */
@Injectable()
export class AppCatalogService {
  constructor(private readonly settings: AdminSettings) {}

  list(request: FastifyRequest): { apps: AppConfig[] } {
    const user = request.adminUser;
    return { apps: this.settings.apps().filter((app) => user !== undefined && canAccessApp(user, app.name)) };
  }

  app(name: string): AppConfig {
    const app = this.settings.app(name);
    if (app === undefined) throw new SogomsError('NOT_FOUND', `No app '${name}'.`);
    return app;
  }

  detail(name: string): AppDetail {
    const app = this.app(name);
    const schema = loadSchemaFile(app.dir, this.settings.displayRoot);
    const tables = schema?.tables ?? [];
    const base = app.basePath;
    const routes = [
      ...AUTH_ROUTES.map((route) => ({
        method: route === 'me' ? 'GET' : 'POST',
        path: `${base}/auth/${route}`,
        what: 'accounts',
      })),
      ...tables.flatMap((table) => tableRoutes(base, table)),
    ];
    const host = app.hosts[0] ?? 'localhost';
    const port = this.settings.global.gateway.port;
    return { app, tables, routes, docsUrl: `http://${host}${port === 80 ? '' : `:${port}`}${base}/_docs` };
  }
}
