import {
  ERROR_CODES,
  HTTP_ERROR_STATUSES,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  httpErrorStatus,
  type ErrorCode,
} from '@sogoms/common';
import type { FieldDef, SchemaDef, TableDef } from '@sogoms/schema';
import { isHidden } from './data-dictionary.js';
import { encryptedFilters, rowSchema, writeSchema, type JsonSchema } from './openapi-field-schemas.js';
import {
  accessAsWritten,
  tableRoutes,
  type AccessOf,
  type HttpMethod,
  type TableRoute,
} from './table-routes.js';

/** What the document is generated from, besides the schema: all of it fixed per snapshot. */
export interface OpenApiApp {
  name: string;
  version: string;
  basePath: string;
  /** The users table, for the shape of `user` in auth answers. */
  usersTable: string;
  /** `limit` when none is given, and the largest accepted. */
  listLimits: { default: number; max: number };
}

/** A route that is not generated from a table: a scenario endpoint or a module's route. */
export interface DocumentedRoute {
  method: HttpMethod;
  /** Below the base path, OpenAPI style: `/projects/{id}/summary`. */
  path: string;
  public: boolean;
  /** Groups the route in the UI: `scenarios`, or the module's name. */
  tag: string;
  summary: string;
  /** Whether it reads a JSON body. */
  body: boolean;
  /** Known query parameters (a scenario's `:query.x`); a module's are not known. */
  query?: string[];
  /** Known body keys (a scenario's `:body.x`). */
  bodyKeys?: string[];
  /** HTTP status of a success. */
  status: number;
}

export type OpenApiDocument = JsonSchema & {
  openapi: string;
  paths: Record<string, Record<string, JsonSchema>>;
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string): JsonSchema => ({ $ref: `#/components/responses/${name}` });
const BEARER: JsonSchema[] = [{ bearer: [] }];
/** A public route: a token is optional (`{}` is "no requirement"). */
const OPTIONAL_BEARER: JsonSchema[] = [{}, { bearer: [] }];

const errorEnvelope = (codes: readonly ErrorCode[]): JsonSchema => ({
  type: 'object',
  required: ['success', 'error'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', enum: [...codes] },
        message: { type: 'string' },
        details: { description: 'null, or for VALIDATION_FAILED an object: field → list of problems' },
      },
    },
  },
});

const success = (data: JsonSchema, list = false): JsonSchema => ({
  type: 'object',
  required: list ? ['success', 'data', 'meta'] : ['success', 'data'],
  properties: { success: { const: true }, data, ...(list ? { meta: ref('ListMeta') } : {}) },
});

const jsonContent = (schema: JsonSchema): JsonSchema => ({ 'application/json': { schema } });

const okResponse = (status: number, description: string, data: JsonSchema, list = false): JsonSchema => ({
  [String(status)]: { description, content: jsonContent(success(data, list)) },
});

/** A response of `okResponse` with response headers. */
const withHeaders = (response: JsonSchema, headers: JsonSchema): JsonSchema =>
  Object.fromEntries(
    Object.entries(response).map(([status, r]) => [status, { ...(r as JsonSchema), headers }]),
  );

const errors = (...statuses: string[]): JsonSchema =>
  Object.fromEntries(statuses.map((s) => [s, responseRef(httpErrorStatus(Number(s)).name)]));

/** Error statuses every route may answer, plus 401 when a token is required. */
const commonErrors = (isPublic: boolean): string[] =>
  isPublic ? ['500', '503', '504'] : ['401', '500', '503', '504'];

const WRITE_ERRORS = ['400', '409', '413', '415'];

const keyDescription = (table: TableDef): string =>
  table.primary.length === 1
    ? `The ${table.primary[0]} of the row`
    : `The key values in key order (${table.primary.join(', ')}), joined by commas, e.g. ${table.primary
        .map((_, i) => i + 1)
        .join(',')}`;

const idParameter = (table: TableDef): JsonSchema => ({
  name: 'id',
  in: 'path',
  required: true,
  description: keyDescription(table),
  schema: { type: 'string' },
});

const visibleNames = (table: TableDef): string[] =>
  table.fields.filter((f: FieldDef) => !isHidden(f)).map((f) => f.name);

const readParameters = (table: TableDef): JsonSchema[] => {
  const relations = table.relations.map((r) => r.name);
  return [
    {
      name: 'fields',
      in: 'query',
      description: `Comma list of fields to return, among: ${visibleNames(table).join(', ')}`,
      schema: { type: 'string' },
    },
    ...(relations.length === 0
      ? []
      : [
          {
            name: 'include',
            in: 'query',
            description: `Comma list of relations to attach (belongs_to: an object; has_many, many_to_many: an array), among: ${relations.join(', ')}; \`a.b\` for two levels`,
            schema: { type: 'string' },
          },
        ]),
  ];
};

const listParameters = (table: TableDef, app: OpenApiApp): JsonSchema[] => {
  const named = table.filters.map((f) => f.name);
  const filterNote =
    named.length === 0 ? '' : ` Or the name of a named filter (${named.join(', ')}) with its parameters.`;
  const encrypted = table.fields.filter((f) => f.encrypted === true && !isHidden(f));
  const encryptedNote =
    encrypted.length === 0
      ? ''
      : ` Encrypted fields: ${encrypted
          .map((f) => `${f.name} (${encryptedFilters(f).join(', ')})`)
          .join(', ')}; no like or sort on them.`;
  const namedParams = [...new Set(table.filters.flatMap((f) => f.params))].filter(
    (p) => !['filter', 'sort', 'limit', 'offset', 'page', 'fields', 'include', 'count'].includes(p),
  );
  return [
    {
      name: 'filter',
      in: 'query',
      style: 'deepObject',
      explode: true,
      description:
        '`filter[field]=v` (equals) or `filter[field][op]=v`, op among eq ne gt gte lt lte in nin like null ' +
        '(`in`/`nin` take a comma list, `null` true or false); `filter[or][0][field][op]=v` for OR groups; ' +
        `the same object may be sent as JSON: \`filter={"or":[...]}\`.${filterNote}${encryptedNote}`,
      schema: { type: 'object', additionalProperties: true },
    },
    ...namedParams.map((name) => ({
      name,
      in: 'query',
      description: `Parameter of a named filter (${table.filters
        .filter((f) => f.params.includes(name))
        .map((f) => f.name)
        .join(', ')})`,
      schema: { type: 'string' },
    })),
    {
      name: 'sort',
      in: 'query',
      description: 'Comma list of fields, `-` before a field for descending: `-created_at,title`',
      schema: { type: 'string' },
    },
    {
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', minimum: 1, maximum: app.listLimits.max, default: app.listLimits.default },
    },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    {
      name: 'page',
      in: 'query',
      description: '1-based page of `limit` rows (instead of offset)',
      schema: { type: 'integer', minimum: 1 },
    },
    ...readParameters(table),
    {
      name: 'count',
      in: 'query',
      description: '`false` skips `meta.total` (counting is costly on big tables)',
      schema: { type: 'boolean', default: true },
    },
  ];
};

const requestBody = (schema: JsonSchema): JsonSchema => ({ required: true, content: jsonContent(schema) });

/** The optional key of a create (docs/api.md, "Idempotency-Key"). */
const IDEMPOTENCY_KEY_PARAMETER: JsonSchema = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the create safe to retry: the first request with the key creates, a repeat with the same body ' +
    'answers the rows made then (201, `Idempotent-Replayed: true`), another body 422 IDEMPOTENCY_KEY_REUSED. ' +
    "Per user and table, kept for the app's idempotency.retention (default 24 h). Use a random value (a UUID).",
  schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: '^[ -~]+$' },
};

const REPLAYED_HEADER: JsonSchema = {
  'Idempotent-Replayed': {
    description:
      '`true` when an earlier request with the same Idempotency-Key made the rows (nothing was created)',
    schema: { type: 'string', const: 'true' },
  },
};

const tableOperation = (table: TableDef, route: TableRoute, app: OpenApiApp): JsonSchema => {
  const name = table.name;
  const security = route.public ? OPTIONAL_BEARER : BEARER;
  const base = { tags: [name], security };
  const common = commonErrors(route.public);
  switch (route.op) {
    case 'list':
      return {
        ...base,
        operationId: `list_${name}`,
        summary: `List ${name}`,
        parameters: listParameters(table, app),
        responses: {
          ...okResponse(200, 'A page of rows', { type: 'array', items: ref(name) }, true),
          ...errors('400', ...common),
        },
      };
    case 'read':
      return {
        ...base,
        operationId: `read_${name}`,
        summary: `Read one ${name} row`,
        parameters: [idParameter(table), ...readParameters(table)],
        responses: { ...okResponse(200, 'The row', ref(name)), ...errors('400', '404', ...common) },
      };
    case 'create':
      return {
        ...base,
        operationId: `create_${name}`,
        summary: `Create ${name} rows`,
        description: 'One object creates one row; an array creates several in one transaction.',
        parameters: [...readParameters(table), IDEMPOTENCY_KEY_PARAMETER],
        requestBody: requestBody({
          oneOf: [ref(`${name}_create`), { type: 'array', items: ref(`${name}_create`), minItems: 1 }],
        }),
        responses: {
          ...withHeaders(
            okResponse(201, 'The created row (an array for an array body)', {
              oneOf: [ref(name), { type: 'array', items: ref(name) }],
            }),
            REPLAYED_HEADER,
          ),
          ...errors(...WRITE_ERRORS, '410', '422', ...common),
        },
      };
    case 'update': {
      const full = route.method === 'PUT';
      return {
        ...base,
        operationId: `${full ? 'replace' : 'update'}_${name}`,
        summary: full ? `Replace a ${name} row (every required field)` : `Update fields of a ${name} row`,
        parameters: [idParameter(table), ...readParameters(table)],
        requestBody: requestBody(ref(`${name}_${full ? 'create' : 'update'}`)),
        responses: {
          ...okResponse(200, 'The updated row', ref(name)),
          ...errors(...WRITE_ERRORS, '404', ...common),
        },
      };
    }
    case 'delete':
      return {
        ...base,
        operationId: `delete_${name}`,
        summary: `Delete a ${name} row`,
        parameters: [idParameter(table)],
        responses: {
          ...okResponse(200, 'Deleted', { type: 'object', description: 'The key fields of the deleted row' }),
          ...errors('400', '404', '409', ...common),
        },
      };
  }
};

const CREDENTIALS: JsonSchema = {
  type: 'object',
  required: ['email', 'password'],
  properties: { email: { type: 'string', maxLength: 255 }, password: { type: 'string', maxLength: 1024 } },
  additionalProperties: false,
};

const OPAQUE: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' };

const objectBody = (properties: Record<string, JsonSchema>): JsonSchema =>
  requestBody({
    type: 'object',
    required: Object.keys(properties),
    properties,
    additionalProperties: false,
  });

const EMAIL_BODY = objectBody({ email: { type: 'string', format: 'email', maxLength: 255 } });

const authOperation = (
  operationId: string,
  summary: string,
  security: JsonSchema[],
  responses: JsonSchema,
  more: JsonSchema = {},
): JsonSchema => ({ tags: ['auth'], operationId, summary, security, ...more, responses });

const authPaths = (userSchema: JsonSchema): Record<string, Record<string, JsonSchema>> => {
  const session: JsonSchema = {
    type: 'object',
    required: ['token', 'refresh_token', 'expires_in', 'user'],
    properties: {
      token: { type: 'string', description: 'HS256 JWT: send as `Authorization: Bearer <token>`' },
      refresh_token: {
        ...OPAQUE,
        description: 'Opaque, single use: POST it to /auth/refresh for the next pair (auth.refresh_ttl)',
      },
      expires_in: { type: 'integer', description: 'Seconds the access token lives (auth.jwt_expires_in)' },
      user: userSchema,
    },
  };
  const pending: JsonSchema = {
    type: 'object',
    required: ['user', 'verification_required'],
    properties: { user: userSchema, verification_required: { const: true } },
  };
  const message: JsonSchema = {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string' } },
  };
  const ended: JsonSchema = {
    type: 'object',
    required: ['sessions_ended'],
    properties: { sessions_ended: { type: 'integer' } },
  };
  const sessionInfo: JsonSchema = {
    type: 'object',
    required: ['id', 'current', 'created_at', 'last_used_at', 'expires_at', 'user_agent', 'ip'],
    properties: {
      id: { type: 'string' },
      current: { type: 'boolean', description: 'The session of the token that asks' },
      created_at: { type: 'string', format: 'date-time' },
      last_used_at: { type: 'string', format: 'date-time' },
      expires_at: { type: 'string', format: 'date-time' },
      user_agent: { type: ['string', 'null'] },
      ip: { type: ['string', 'null'] },
    },
  };
  const password = { type: 'string', description: "The app's password rules (auth.password)" };
  return {
    '/auth/register': {
      post: authOperation(
        'auth_register',
        'Create an account; with auth.verify_email a verification mail instead of a session',
        [],
        {
          ...okResponse(201, 'Registered', { oneOf: [session, pending] }),
          ...errors('400', '409', '413', '415', '500', '503'),
        },
        {
          requestBody: requestBody({
            type: 'object',
            required: ['email', 'password'],
            properties: {
              email: { type: 'string', format: 'email', maxLength: 255 },
              password,
              name: { type: 'string', minLength: 1, maxLength: 255 },
            },
            additionalProperties: false,
          }),
        },
      ),
    },
    '/auth/login': {
      post: authOperation(
        'auth_login',
        "Log in; the answer may carry the login scenario's data too. Failures lock the account and the IP (429, Retry-After)",
        [],
        {
          ...okResponse(200, 'Logged in', { ...session, additionalProperties: true }),
          ...errors('400', '401', '403', '413', '415', '429', '500', '503'),
        },
        { requestBody: requestBody(CREDENTIALS) },
      ),
    },
    '/auth/refresh': {
      post: authOperation(
        'auth_refresh',
        'Trade a refresh token for a new pair; the old one stops working, and using it again ends the session',
        [],
        { ...okResponse(200, 'A new pair', session), ...errors('400', '401', '413', '415', '500', '503') },
        { requestBody: objectBody({ refresh_token: OPAQUE }) },
      ),
    },
    '/auth/logout': {
      post: authOperation(
        'auth_logout',
        'End the session of this token (its refresh token stops working)',
        BEARER,
        {
          ...okResponse(200, 'Ended', ended),
          ...errors('401', '500', '503'),
        },
      ),
    },
    '/auth/logout-all': {
      post: authOperation('auth_logout_all', 'End every session of this user', BEARER, {
        ...okResponse(200, 'Ended', ended),
        ...errors('401', '500', '503'),
      }),
    },
    '/auth/sessions': {
      get: authOperation('auth_sessions', "The caller's live sessions", BEARER, {
        ...okResponse(200, 'Sessions, newest use first', {
          type: 'object',
          required: ['sessions'],
          properties: { sessions: { type: 'array', items: sessionInfo } },
        }),
        ...errors('401', '500', '503'),
      }),
    },
    '/auth/sessions/{id}': {
      delete: authOperation(
        'auth_session_end',
        'End one of the caller’s sessions',
        BEARER,
        {
          ...okResponse(200, 'Ended', {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string' } },
          }),
          ...errors('401', '404', '500', '503'),
        },
        { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] },
      ),
    },
    '/auth/password': {
      post: authOperation(
        'auth_password_change',
        'Change the password (the current one is needed); every session ends, the answer is a new one',
        BEARER,
        {
          ...okResponse(200, 'Changed', session),
          ...errors('400', '401', '413', '415', '429', '500', '503'),
        },
        { requestBody: objectBody({ current: { type: 'string', maxLength: 1024 }, new: password }) },
      ),
    },
    '/auth/password/forgot': {
      post: authOperation(
        'auth_password_forgot',
        'Mail a single-use reset token; the same answer whether or not the address has an account',
        [],
        { ...okResponse(202, 'Accepted', message), ...errors('400', '413', '415', '429', '500', '503') },
        { requestBody: EMAIL_BODY },
      ),
    },
    '/auth/password/reset': {
      post: authOperation(
        'auth_password_reset',
        'Set a new password with a mailed token; every session ends',
        [],
        {
          ...okResponse(200, 'Reset', {
            type: 'object',
            required: ['password_reset'],
            properties: { password_reset: { const: true } },
          }),
          ...errors('400', '413', '415', '500', '503'),
        },
        { requestBody: objectBody({ token: OPAQUE, password }) },
      ),
    },
    '/auth/verify': {
      post: authOperation(
        'auth_verify',
        'Verify the email address with a mailed token',
        [],
        {
          ...okResponse(200, 'Verified', {
            type: 'object',
            required: ['verified'],
            properties: { verified: { const: true } },
          }),
          ...errors('400', '413', '415', '500', '503'),
        },
        { requestBody: objectBody({ token: OPAQUE }) },
      ),
    },
    '/auth/verify/resend': {
      post: authOperation(
        'auth_verify_resend',
        'Mail a new verification token; the same answer for any address',
        [],
        { ...okResponse(202, 'Accepted', message), ...errors('400', '413', '415', '429', '500', '503') },
        { requestBody: EMAIL_BODY },
      ),
    },
    '/auth/me': {
      get: authOperation('auth_me', 'The user of the token', BEARER, {
        ...okResponse(200, 'The user', {
          type: 'object',
          required: ['user'],
          properties: { user: userSchema },
        }),
        ...errors('401', '500', '503'),
      }),
    },
  };
};

const dictionaryPaths = (): Record<string, Record<string, JsonSchema>> => ({
  '/_schema': {
    get: {
      tags: ['meta'],
      operationId: 'schema_dictionary',
      summary: 'The data dictionary: tables, fields, relations and their routes',
      security: BEARER,
      responses: { ...okResponse(200, 'The dictionary', { type: 'object' }), ...errors('401', '500') },
    },
  },
  '/_schema/{table}': {
    get: {
      tags: ['meta'],
      operationId: 'schema_table',
      summary: 'The data dictionary of one table',
      security: BEARER,
      parameters: [{ name: 'table', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { ...okResponse(200, 'The table', { type: 'object' }), ...errors('401', '404', '500') },
    },
  },
});

const pathParams = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

const customParameters = (route: DocumentedRoute): JsonSchema => {
  const parameters: JsonSchema[] = [
    ...pathParams(route.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...(route.query ?? []).map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
  ];
  return parameters.length === 0 ? {} : { parameters };
};

const customOperation = (route: DocumentedRoute, index: number): JsonSchema => ({
  tags: [route.tag],
  operationId: `${route.tag.replace(/[^A-Za-z0-9_]/g, '_')}_${index}`,
  summary: route.summary,
  security: route.public ? OPTIONAL_BEARER : BEARER,
  ...customParameters(route),
  ...(route.body
    ? {
        requestBody: requestBody(
          route.bodyKeys === undefined
            ? { type: 'object' }
            : { type: 'object', properties: Object.fromEntries(route.bodyKeys.map((k) => [k, {}])) },
        ),
      }
    : {}),
  responses: {
    ...okResponse(route.status, 'Success', {}),
    ...errors(
      ...(route.body ? ['400', '404', '409', '413', '415'] : ['400', '404', '409']),
      ...commonErrors(route.public),
    ),
  },
});

/** Tags in order: auth, meta, tables, then the custom routes' groups; each name once. */
const documentTags = (tables: readonly TableDef[], custom: readonly DocumentedRoute[]): JsonSchema[] => {
  const tags = new Map<string, JsonSchema>([
    ['auth', { name: 'auth' }],
    ['meta', { name: 'meta' }],
  ]);
  for (const t of tables)
    tags.set(t.name, { name: t.name, ...(t.comment === undefined ? {} : { description: t.comment }) });
  for (const route of custom) if (!tags.has(route.tag)) tags.set(route.tag, { name: route.tag });
  return [...tags.values()];
};

/**
 * The OpenAPI 3.1 document of one app, generated from its schema (a pure function: the gateway
 * caches the result per snapshot). Paths are relative to the one server, the app's base path.
 */
export const openApiDocument = (
  schema: SchemaDef | null,
  app: OpenApiApp,
  custom: readonly DocumentedRoute[] = [],
  accessOf: AccessOf = accessAsWritten,
): OpenApiDocument => {
  const tables = schema?.tables ?? [];
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const add = (path: string, method: HttpMethod, operation: JsonSchema): void => {
    (paths[path] ??= {})[method.toLowerCase()] = operation;
  };
  const users = tables.find((t) => t.name === app.usersTable);
  Object.assign(
    paths,
    authPaths(users === undefined ? { type: 'object' } : ref(users.name)),
    dictionaryPaths(),
  );
  const schemas: Record<string, JsonSchema> = {
    ListMeta: {
      type: 'object',
      required: ['limit', 'offset'],
      properties: {
        total: { type: 'integer', description: 'Rows matching the filter; absent with count=false' },
        limit: { type: 'integer' },
        offset: { type: 'integer' },
      },
    },
    Error: errorEnvelope(ERROR_CODES),
  };
  for (const table of tables) {
    schemas[table.name] = rowSchema(table);
    const routes = tableRoutes(table, accessOf);
    if (routes.some((r) => r.op === 'create' || r.op === 'update')) {
      schemas[`${table.name}_create`] = writeSchema(table, true);
      schemas[`${table.name}_update`] = writeSchema(table, false);
    }
    for (const route of routes) add(route.path, route.method, tableOperation(table, route, app));
  }
  // Custom routes are matched before the generated ones, so they win here too.
  custom.forEach((route, index) => add(route.path, route.method, customOperation(route, index)));
  const responses = Object.fromEntries(
    HTTP_ERROR_STATUSES.map(({ name, codes, description }) => [
      name,
      { description, content: jsonContent(errorEnvelope(codes)) },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: `${app.name} API`,
      version: app.version,
      description:
        'Generated by SOGOMS from schema.yaml. Successes answer `{"success":true,"data":...}` (lists add `meta`); ' +
        'errors answer `{"success":false,"error":{"code","message","details"}}`.',
    },
    servers: [{ url: app.basePath }],
    tags: documentTags(tables, custom),
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
};
