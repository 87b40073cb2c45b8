import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, type DocumentedRoute, type OpenApiApp } from './openapi-document.js';
import { docsSchema } from './testing/docs-schema.fixture.js';

const APP: OpenApiApp = {
  name: 'demo',
  version: '1.2.3',
  basePath: '/api',
  usersTable: 'users',
  listLimits: { default: 50, max: 500 },
};

const CUSTOM: DocumentedRoute[] = [
  {
    method: 'GET',
    path: '/projects/{id}/summary',
    public: false,
    tag: 'scenarios',
    summary: 'Project summary',
    body: false,
    status: 200,
    query: ['status'],
  },
  {
    method: 'POST',
    path: '/tasks/reorder',
    public: false,
    tag: 'task-position',
    summary: 'Reorder',
    body: true,
    status: 200,
  },
];

const validate = async (document: unknown) => {
  const validator = new Validator();
  return validator.validate(document as Record<string, unknown>);
};

describe('openApiDocument', () => {
  const document = openApiDocument(docsSchema(), APP, CUSTOM);
  const op = (path: string, method: string): any => document.paths[path]?.[method] as any;
  const schemas = (document.components as any).schemas;

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: '/api' }]);
    expect(document.info).toMatchObject({ title: 'demo API', version: '1.2.3' });
  });

  it('the validator refuses a broken document (the test can fail)', async () => {
    const broken = structuredClone(document) as any;
    broken.paths['/tasks'].get.responses = 'none';
    expect((await validate(broken)).valid).toBe(false);
  });

  it('is valid for an app without a schema: auth and dictionary routes only', async () => {
    const empty = openApiDocument(null, APP);
    expect((await validate(empty)).valid).toBe(true);
    expect(Object.keys(empty.paths).sort()).toEqual([
      '/_schema',
      '/_schema/{table}',
      '/auth/login',
      '/auth/logout',
      '/auth/logout-all',
      '/auth/me',
      '/auth/password',
      '/auth/password/forgot',
      '/auth/password/reset',
      '/auth/refresh',
      '/auth/register',
      '/auth/sessions',
      '/auth/sessions/{id}',
      '/auth/verify',
      '/auth/verify/resend',
    ]);
  });

  it('has every generated route, and only those', () => {
    const routes = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /tasks',
        'POST /tasks',
        'GET /tasks/{id}',
        'PATCH /tasks/{id}',
        'PUT /tasks/{id}',
        'DELETE /tasks/{id}',
        'GET /users',
        'GET /users/{id}',
        'GET /task_tags/{id}',
        'DELETE /task_tags/{id}',
        'GET /task_list',
        'POST /auth/login',
        'POST /auth/register',
        'GET /auth/me',
        'GET /_schema',
        'GET /_schema/{table}',
        'GET /projects/{id}/summary',
        'POST /tasks/reorder',
      ]),
    );
    expect(routes).not.toContain('POST /users');
    expect(routes).not.toContain('PATCH /task_tags/{id}');
    expect(routes).not.toContain('GET /task_list/{id}');
  });

  it('describes the list query parameters', () => {
    const params = op('/tasks', 'get').parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(['filter', 'q', 'sort', 'limit', 'offset', 'page', 'fields', 'include', 'count']);
    const limit = op('/tasks', 'get').parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toEqual({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
    expect(op('/tasks', 'get').parameters[0]).toMatchObject({
      in: 'query',
      style: 'deepObject',
      explode: true,
    });
    expect(
      op('/tasks', 'get').parameters.find((p: { name: string }) => p.name === 'include').description,
    ).toContain('user');
    // No relations: no include parameter.
    expect(op('/tags', 'get').parameters.map((p: { name: string }) => p.name)).not.toContain('include');
  });

  it('describes the path id, composite keys included', () => {
    expect(op('/tasks/{id}', 'get').parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(op('/task_tags/{id}', 'get').parameters[0].description).toContain('task_id, tag_id');
  });

  it('builds request bodies from field types: required, lengths, enums, nullable, defaults', () => {
    const create = schemas.tasks_create;
    expect(create.additionalProperties).toBe(false);
    // id (auto) and created_at (readonly) cannot be written; user_id is forced from the token.
    expect(Object.keys(create.properties)).toEqual([
      'user_id',
      'title',
      'description',
      'due_date',
      'position',
    ]);
    expect(create.required).toEqual(['title']);
    expect(create.properties.title).toEqual({ type: 'string', maxLength: 200 });
    expect(create.properties.description).toEqual({ type: ['string', 'null'], description: 'Markdown' });
    expect(create.properties.due_date).toEqual({ type: ['string', 'null'], format: 'date' });
    expect(create.properties.position).toMatchObject({ type: 'integer', minimum: -2147483648, default: 0 });
    expect(schemas.tasks_update.required).toBeUndefined();
    const every = schemas.every_type_create.properties;
    expect(every.tiny).toEqual({ type: ['integer', 'null'], minimum: 0, maximum: 255 });
    expect(every.rating).toEqual({ type: ['string', 'null'], enum: ['G', 'PG', null] });
    expect(every.features).toEqual({
      type: 'array',
      items: { type: 'string', enum: ['Trailers', 'Commentaries'] },
      uniqueItems: true,
    });
    expect(every.price).toMatchObject({ type: ['string', 'number'], default: '4.99' });
    expect(every.picture).toMatchObject({ type: ['string', 'null'], contentEncoding: 'base64' });
    expect(every.at).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(op('/tasks', 'post').requestBody.content['application/json'].schema.oneOf).toHaveLength(2);
    expect(op('/tasks/{id}', 'put').requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/tasks_create',
    });
  });

  it('never shows hidden fields in answers', () => {
    expect(Object.keys(schemas.users.properties)).toEqual(['id', 'email', 'role']);
    expect(schemas.tasks.properties.id.readOnly).toBe(true);
    expect(schemas.every_type.properties.id).toMatchObject({ type: 'string' });
    expect(
      op('/auth/me', 'get').responses['200'].content['application/json'].schema.properties.data.properties
        .user,
    ).toEqual({
      $ref: '#/components/schemas/users',
    });
  });

  it('answers in the envelope, with meta on lists and 201 on create', () => {
    const list = op('/tasks', 'get').responses['200'].content['application/json'].schema;
    expect(list.required).toEqual(['success', 'data', 'meta']);
    expect(list.properties.data).toEqual({ type: 'array', items: { $ref: '#/components/schemas/tasks' } });
    expect(op('/tasks', 'post').responses['201'].headers['Idempotent-Replayed']).toBeDefined();
    expect(op('/tasks', 'post').parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    );
    expect(op('/tasks/{id}', 'patch').parameters).not.toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key' }),
    );
    expect(schemas.ListMeta.required).toEqual(['limit', 'offset']);
  });

  it('names the error envelope per status with its codes', () => {
    const responses = (document.components as any).responses;
    const codeEnum = (name: string): unknown =>
      responses[name].content['application/json'].schema.properties.error.properties.code.enum;
    expect(codeEnum('BadRequest')).toEqual([
      'BAD_REQUEST',
      'VALIDATION_FAILED',
      'INVALID_TOKEN',
      'IDEMPOTENCY_KEY_INVALID',
    ]);
    expect(codeEnum('UnprocessableContent')).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(codeEnum('Gone')).toEqual(['IDEMPOTENT_ROW_GONE']);
    expect(codeEnum('Conflict')).toEqual(['CONFLICT', 'CONSTRAINT']);
    expect(codeEnum('Unavailable')).toEqual(['UNAVAILABLE']);
    const create = op('/tasks', 'post').responses;
    expect(Object.keys(create).sort()).toEqual([
      '201',
      '400',
      '401',
      '409',
      '410',
      '413',
      '415',
      '422',
      '500',
      '503',
      '504',
    ]);
    expect(create['409']).toEqual({ $ref: '#/components/responses/Conflict' });
    expect(Object.keys(op('/tasks/{id}', 'get').responses)).toContain('404');
  });

  it('declares the bearer scheme; public routes take an optional token', () => {
    expect((document.components as any).securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(op('/tasks', 'get').security).toEqual([{ bearer: [] }]);
    expect(op('/tags', 'get').security).toEqual([{}, { bearer: [] }]);
    expect(Object.keys(op('/tags', 'get').responses)).not.toContain('401');
    expect(op('/auth/login', 'post').security).toEqual([]);
  });

  it('documents scenario and module routes with their path parameters', () => {
    const summary = op('/projects/{id}/summary', 'get');
    expect(summary).toMatchObject({ tags: ['scenarios'], summary: 'Project summary' });
    expect(summary.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'status', in: 'query', schema: { type: 'string' } },
    ]);
    expect(op('/tasks/reorder', 'post').requestBody).toBeDefined();
    expect((document.tags as { name: string }[]).map((t) => t.name)).toEqual(
      expect.arrayContaining(['auth', 'meta', 'tasks', 'scenarios', 'task-position']),
    );
  });
});
