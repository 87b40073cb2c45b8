import { Injectable } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../crud/list-query.parser.js';
import type { CustomRoute } from '../extensions/custom-routes.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { dataDictionary, type DataDictionary, type DictionaryTable } from './data-dictionary.js';
import { openApiDocument, type DocumentedRoute } from './openapi-document.js';
import type { AccessOf } from './table-routes.js';
import { crudAccessOf } from '../crud/crud-access.js';

/** `/projects/:id` → `/projects/{id}`. */
const openApiPath = (route: CustomRoute): string =>
  `/${route.segments.map((s) => ('param' in s ? `{${s.param}}` : s.literal)).join('/')}`;

/** The `:query.x` or `:body.x` names of a scenario's steps. */
const requestNames = (route: CustomRoute, source: 'query' | 'body'): string[] | undefined => {
  if (route.kind !== 'scenario') return undefined;
  const names = route.scenario.steps.flatMap((step) => step.sql.params);
  return [...new Set(names.filter((n) => n.startsWith(`${source}.`)).map((n) => n.slice(source.length + 1)))];
};

export const documentedRoute = (route: CustomRoute): DocumentedRoute => ({
  method: route.method,
  path: openApiPath(route),
  public: route.public,
  tag: route.kind === 'scenario' ? 'scenarios' : route.module,
  summary:
    route.kind === 'scenario' ? route.scenario.description || `Scenario ${route.scenario.id}` : route.summary,
  body: route.method !== 'GET' && route.method !== 'DELETE',
  status: route.status,
  query: requestNames(route, 'query'),
  bodyKeys: requestNames(route, 'body'),
});

/** The docs show what the CRUD engine serves: its compiled tables are the one source of the rules. */
const accessOfApp =
  (app: AppRuntime): AccessOf =>
  (table) => {
    const compiled = app.crud.tables.get(table.name);
    return compiled === undefined ? { ops: new Set(), public: new Set() } : crudAccessOf(compiled);
  };

/**
 * The dictionary and the OpenAPI document of an app, built on first request and kept for the
 * life of its runtime (one snapshot version): a reload makes new runtimes, hence new documents.
 */
@Injectable()
export class ApiDocsService {
  private readonly dictionaries = new WeakMap<AppRuntime, DataDictionary>();
  private readonly documents = new WeakMap<AppRuntime, string>();

  /** `docs: public` in app.yaml opens the document and the UI to anyone; else they need a token. */
  checkDocsAccess(app: AppRuntime, caller: TokenClaims | null): void {
    if (app.config.docs !== 'public' && caller === null)
      throw new SogomsError('UNAUTHORIZED', "Missing bearer token (this app's docs are private)");
  }

  dictionary(app: AppRuntime): DataDictionary {
    let dictionary = this.dictionaries.get(app);
    if (dictionary === undefined) {
      dictionary = dataDictionary(app.schema, app.config.basePath, accessOfApp(app));
      this.dictionaries.set(app, dictionary);
    }
    return dictionary;
  }

  table(app: AppRuntime, name: string): DictionaryTable {
    const table = this.dictionary(app).tables.find((t) => t.name === name);
    if (table === undefined) throw new SogomsError('NOT_FOUND', `No table ${name}`);
    return table;
  }

  /** The OpenAPI document as JSON text (serialized once per snapshot). */
  openApiJson(app: AppRuntime): string {
    let json = this.documents.get(app);
    if (json === undefined) {
      const { config } = app;
      const document = openApiDocument(
        app.schema,
        {
          name: config.name,
          version: config.version,
          basePath: config.basePath,
          usersTable: config.auth.usersTable,
          listLimits: { default: DEFAULT_LIST_LIMIT, max: MAX_LIST_LIMIT },
        },
        (app.routes?.routes ?? []).map(documentedRoute),
        accessOfApp(app),
      );
      json = JSON.stringify(document);
      this.documents.set(app, json);
    }
    return json;
  }
}
