import { Validator } from '@seriousme/openapi-schema-validator';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';
import { writeTestConfig } from './support/test-config.factory.js';
import { plainDemoSchemaYaml } from './support/demo-schema.js';

const DB = `sogoms_test_extensions_${randomBytes(3).toString('hex')}`;
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };
const SCHEMA_YAML = plainDemoSchemaYaml();

/**
 * A test module beside the demo's: records what the CRUD engine hands to `after`, changes an
 * update's input in `before`, refuses one tag name, and exposes what it saw on a route.
 */
const AUDIT_MODULE = `
export default (ctx) => {
  const seen = [];
  return {
    tables: ['tags'],
    before(hook) {
      if (hook.op === 'create' && hook.input.name === 'forbidden')
        throw ctx.error('FORBIDDEN', 'This tag name is reserved', { name: ['reserved'] });
      if (hook.op === 'update') hook.input.color = '#000000';
    },
    after(hook, result) {
      seen.push({
        app: hook.app, table: hook.table, op: hook.op, id: hook.id ?? null, user: hook.user ?? null,
        row: result.row ?? null, rows: result.rows === undefined ? null : result.rows.length,
      });
    },
    routes(router) {
      router.get('/audit/events', () => seen.splice(0));
      router.get('/audit/boom', () => { throw new Error('secret internals'); });
    },
  };
};
`;

describe('dictionary, OpenAPI, modules and scenario endpoints, end to end', () => {
  let stack: TestStack;
  let demoToken: string;
  let otherToken: string;
  let privToken: string;

  const call = (host: string, method: string, path: string, token?: string, body?: unknown) =>
    stack.call({
      host,
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });
  const demo = (method: string, path: string, token?: string, body?: unknown) =>
    call('demo.test', method, path, token, body);

  beforeAll(async () => {
    const config = writeTestConfig(await freePort(), [
      {
        name: 'demo',
        hosts: ['demo.test'],
        database: DB,
        secret: 'extensions-demo-secret-0123456789abcdef',
        initFromDemo: true,
        demoScenarios: true,
        demoModules: true,
        schemaYaml: SCHEMA_YAML,
        appYaml: { docs: 'public', modules: ['./modules/task-position.mjs', './modules/audit.mjs'] },
      },
      {
        name: 'priv',
        hosts: ['priv.test'],
        database: DB,
        secret: 'extensions-priv-secret-0123456789abcdef',
        schemaYaml: SCHEMA_YAML,
      },
    ]);
    writeFileSync(join(config.configRoot, 'apps/demo/modules/audit.mjs'), AUDIT_MODULE);
    stack = await startStack(config);
    demoToken = (await demo('POST', '/auth/login', undefined, DEMO)).json.data.token;
    const other = await demo('POST', '/auth/register', undefined, {
      email: 'other@prokov.test',
      password: 'other-user-pass',
    });
    otherToken = other.json.data.token;
    privToken = (await call('priv.test', 'POST', '/auth/login', undefined, DEMO)).json.data.token;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(DB);
  });

  describe('data dictionary', () => {
    it('needs a token', async () => {
      const answer = await demo('GET', '/_schema');
      expect(answer.status).toBe(401);
      expect(answer.json.error.code).toBe('UNAUTHORIZED');
    });

    it('describes every table, its fields, relations and routes', async () => {
      const answer = await demo('GET', '/_schema', otherToken);
      expect(answer.status).toBe(200);
      const tables = answer.json.data.tables.map((t: { name: string }) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining(['projects', 'statuses', 'tags', 'task_tags', 'tasks', 'users']),
      );
      const users = answer.json.data.tables.find((t: { name: string }) => t.name === 'users');
      expect(users.fields.find((f: { name: string }) => f.name === 'password_hash')).toMatchObject({
        hidden: true,
      });
      expect(JSON.stringify(answer.json)).not.toMatch(/\$2[aby]\$/); // no bcrypt hash, ever
    });

    it('answers one table, and 404 for an unknown one', async () => {
      const tasks = await demo('GET', '/_schema/tasks', demoToken);
      expect(tasks.status).toBe(200);
      expect(tasks.json.data).toMatchObject({ name: 'tasks', primary: ['id'], owner: { field: 'user_id' } });
      expect(tasks.json.data.relations.map((r: { name: string }) => r.name)).toContain('project');
      expect(tasks.json.data.routes).toContainEqual({
        op: 'update',
        method: 'PATCH',
        path: '/api/tasks/{id}',
        public: false,
      });
      const position = tasks.json.data.fields.find((f: { name: string }) => f.name === 'position');
      expect(position).toMatchObject({ type: 'int', db_type: 'int', default: 0, writable: true });
      const unknown = await demo('GET', '/_schema/nope', demoToken);
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.code).toBe('NOT_FOUND');
    });
  });

  describe('OpenAPI and Swagger UI', () => {
    it('serves a valid OpenAPI 3.1 document without a token when docs are public', async () => {
      const answer = await demo('GET', '/_openapi.json');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toContain('application/json');
      const result = await new Validator().validate(answer.json);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(answer.json.servers).toEqual([{ url: '/api' }]);
      expect(Object.keys(answer.json.paths)).toEqual(
        expect.arrayContaining([
          '/tasks',
          '/tasks/{id}',
          '/task_tags/{id}',
          '/auth/login',
          '/projects/{id}/summary',
          '/tasks/{id}/move',
          '/tasks/next-position',
        ]),
      );
      expect(answer.json.paths['/tasks/next-position'].get.tags).toEqual(['task-position']);
      expect(answer.json.paths['/projects/{id}/summary'].get.tags).toEqual(['scenarios']);
      // The document shows what the engine serves: the guarded users table has no create.
      expect(answer.json.paths['/users'].get).toBeDefined();
      expect(answer.json.paths['/users'].post).toBeUndefined();
    });

    it('needs a token for private docs', async () => {
      const anonymous = await call('priv.test', 'GET', '/_openapi.json');
      expect(anonymous.status).toBe(401);
      expect((await call('priv.test', 'GET', '/_docs')).status).toBe(401);
      // A token of another app is no token here.
      expect((await call('priv.test', 'GET', '/_openapi.json', demoToken)).status).toBe(401);
      const allowed = await call('priv.test', 'GET', '/_openapi.json', privToken);
      expect(allowed.status).toBe(200);
      expect(allowed.json.info.title).toBe('priv API');
    });

    it('serves Swagger UI from the gateway, and nothing but its files', async () => {
      const page = await demo('GET', '/_docs');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('_docs/swagger-ui-bundle.js');
      expect(page.text).toContain("url: '_openapi.json'");
      const bundle = await demo('GET', '/_docs/swagger-ui-bundle.js');
      expect(bundle.status).toBe(200);
      expect(bundle.headers['content-type']).toContain('javascript');
      expect(bundle.text).toContain('SwaggerUIBundle');
      expect((await demo('GET', '/_docs/swagger-ui.css')).headers['content-type']).toContain('text/css');
      for (const file of ['package.json', 'index.html', '..%2F..%2Fpackage.json']) {
        expect((await demo('GET', `/_docs/${file}`)).status, file).toBe(404);
      }
    });
  });

  describe('the demo module (task-position)', () => {
    const create = (token: string, body: Record<string, unknown>) => demo('POST', '/tasks', token, body);

    it('gives a new task the next position of its list, and keeps a given one', async () => {
      const own = await demo('GET', '/tasks?filter[project_id][null]=true&limit=500', demoToken);
      const highest = Math.max(-1, ...own.json.data.map((t: { position: number }) => t.position));
      const first = await create(demoToken, { title: 'Module task one' });
      expect(first.status).toBe(201);
      expect(first.json.data.position).toBe(highest + 1);
      const second = await create(demoToken, { title: 'Module task two' });
      expect(second.json.data.position).toBe(highest + 2);
      const given = await create(demoToken, { title: 'Placed', position: 100 });
      expect(given.json.data.position).toBe(100);
      const next = await demo('GET', '/tasks/next-position', demoToken);
      expect(next.status).toBe(200);
      expect(next.json).toEqual({ success: true, data: { position: 101 } });
    });

    it('counts per user and per project', async () => {
      const fresh = await create(otherToken, { title: 'First of another user' });
      expect(fresh.json.data.position).toBe(0);
      const project = await demo('POST', '/projects', otherToken, { name: 'Other project' });
      const projectId = project.json.data.id;
      const inProject = await create(otherToken, { title: 'In a project', project_id: projectId });
      expect(inProject.json.data.position).toBe(0);
      expect((await create(otherToken, { title: 'Again', project_id: projectId })).json.data.position).toBe(
        1,
      );
      const next = await demo('GET', `/tasks/next-position?project_id=${projectId}`, otherToken);
      expect(next.json.data.position).toBe(2);
    });

    it("answers a module route's own refusal and needs a token", async () => {
      const bad = await demo('GET', '/tasks/next-position?project_id=abc', demoToken);
      expect(bad.status).toBe(400);
      expect(bad.json.error).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'Invalid query parameters',
        details: { project_id: ['must be a project id'] },
      });
      expect((await demo('GET', '/tasks/next-position')).status).toBe(401);
      // The generated routes around it still work: /tasks/{id} is not shadowed for real ids.
      const task = await create(demoToken, { title: 'Readable' });
      expect((await demo('GET', `/tasks/${task.json.data.id}`, demoToken)).json.data.title).toBe('Readable');
    });
  });

  describe('hooks, through the CRUD engine', () => {
    it('hands every operation to after with app, table, op, id, row and user', async () => {
      await demo('GET', '/audit/events', demoToken); // start from nothing
      const created = await demo('POST', '/tags', demoToken, { name: 'hooked', color: '#123456' });
      expect(created.status).toBe(201);
      const id = created.json.data.id;
      await demo('GET', `/tags/${id}`, demoToken);
      const updated = await demo('PATCH', `/tags/${id}`, demoToken, { color: '#ffffff' });
      // `before` changed the input: the module's color is stored, not the body's.
      expect(updated.json.data.color).toBe('#000000');
      const listed = await demo('GET', '/tags', demoToken);
      await demo('DELETE', `/tags/${id}`, demoToken);
      const events = (await demo('GET', '/audit/events', demoToken)).json.data;
      const user = { id: String(created.json.data.user_id), role: 'default' };
      expect(events).toEqual([
        {
          app: 'demo',
          table: 'tags',
          op: 'create',
          id: String(id),
          user,
          row: created.json.data,
          rows: null,
        },
        { app: 'demo', table: 'tags', op: 'read', id: String(id), user, row: created.json.data, rows: null },
        {
          app: 'demo',
          table: 'tags',
          op: 'update',
          id: String(id),
          user,
          row: updated.json.data,
          rows: null,
        },
        { app: 'demo', table: 'tags', op: 'list', id: null, user, row: null, rows: listed.json.data.length },
        { app: 'demo', table: 'tags', op: 'delete', id: String(id), user, row: { id }, rows: null },
      ]);
    });

    it('lets a module refuse with its own code, before anything is written', async () => {
      const refused = await demo('POST', '/tags', demoToken, { name: 'forbidden' });
      expect(refused.status).toBe(403);
      expect(refused.json.error).toEqual({
        code: 'FORBIDDEN',
        message: 'This tag name is reserved',
        details: { name: ['reserved'] },
      });
      const tags = await demo('GET', '/tags?filter[name]=forbidden', demoToken);
      expect(tags.json.data).toEqual([]);
      // The refused create never reached `after`; tables outside `tables:` never reach the module.
      await demo('POST', '/tasks', demoToken, { title: 'Not audited' });
      const events = (await demo('GET', '/audit/events', demoToken)).json.data;
      expect(events.map((e: { op: string; table: string }) => `${e.table} ${e.op}`)).toEqual(['tags list']);
    });

    it('hides a module crash behind a 500 without its message', async () => {
      const boom = await demo('GET', '/audit/boom', demoToken);
      expect(boom.status).toBe(500);
      expect(boom.json.error.code).toBe('INTERNAL');
      expect(boom.text).not.toContain('secret internals');
    });
  });

  describe('scenario endpoints', () => {
    let projectId: number;
    let statusId: number;
    let taskId: number;

    beforeAll(async () => {
      projectId = (await demo('GET', '/projects?limit=1', demoToken)).json.data[0].id;
      statusId = (await demo('GET', '/statuses?sort=-position&limit=1', demoToken)).json.data[0].id;
      taskId = (await demo('POST', '/tasks', demoToken, { title: 'To move', project_id: projectId })).json
        .data.id;
    });

    it('answers a read scenario with every step by name', async () => {
      const answer = await demo('GET', `/projects/${projectId}/summary`, demoToken);
      expect(answer.status).toBe(200);
      expect(answer.json.data.project).toMatchObject({ id: projectId });
      expect(Number(answer.json.data.counts.tasks)).toBeGreaterThanOrEqual(1);
      expect(Object.keys(answer.json.data).sort()).toEqual(['counts', 'project']);
    });

    it("is a 404 for another user's project and a 401 without a token", async () => {
      expect((await demo('GET', `/projects/${projectId}/summary`, otherToken)).status).toBe(404);
      expect((await demo('GET', `/projects/${projectId}/summary`)).status).toBe(401);
      // Path params are bound values, never SQL: `0 OR 1=1` is compared as a value and finds nothing.
      expect((await demo('GET', `/projects/0%20OR%201=1/summary`, demoToken)).status).toBe(404);
    });

    it('runs a write scenario with body and path values in one transaction, answering one step', async () => {
      const moved = await demo('POST', `/tasks/${taskId}/move`, demoToken, {
        status_id: statusId,
        position: 7,
      });
      expect(moved.status).toBe(200);
      expect(moved.json.data).toMatchObject({ id: taskId, status_id: statusId, position: 7 });
      const read = await demo('GET', `/tasks/${taskId}`, demoToken);
      expect(read.json.data).toMatchObject({ status_id: statusId, position: 7 });
      // Another user cannot move it: the task reads as missing.
      expect((await demo('POST', `/tasks/${taskId}/move`, otherToken, { status_id: statusId })).status).toBe(
        404,
      );
    });

    it('refuses a body that cannot be bound', async () => {
      const notObject = await demo('POST', `/tasks/${taskId}/move`, demoToken, [1, 2]);
      expect(notObject.status).toBe(400);
      expect(notObject.json.error.details).toEqual({ body: ['must be a JSON object'] });
      const nested = await demo('POST', `/tasks/${taskId}/move`, demoToken, { status_id: [[1]] });
      expect(nested.status).toBe(400);
      expect(nested.json.error.details).toEqual({
        'body.status_id': ['must be a value or a non-empty list of values'],
      });
    });
  });

  describe('reload', () => {
    it('re-reads an edited module file, and keeps the old one when the new one is broken', async () => {
      const file = join(stack.config.configRoot, 'apps/demo/modules/task-position.mjs');
      const original = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        original
          .replace("tables = ['tasks'];", "tables = ['tasks'];\n  step = 10;")
          .replace(
            'hook.input.position = await this.nextPosition(hook.user.id, hook.input.project_id);',
            'hook.input.position = 1000;',
          ),
      );
      expect((await stack.cli('reload')).code).toBe(0);
      await waitUntil(
        'the edited module',
        async () =>
          (await demo('POST', '/tasks', demoToken, { title: 'After reload' })).json.data.position === 1000,
        10_000,
      );
      // A syntax error is caught before any service is signalled.
      writeFileSync(file, 'export default {');
      const refused = await stack.cli('reload');
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain(
        'modules[0]: expected a file that parses as an ES module',
      );
      // A module that parses but cannot be loaded is refused by the gateway, which keeps the last good version.
      writeFileSync(file, 'export const notDefault = 1;');
      // The gateway acknowledges the refusal, so `sogoms reload` reports it and exits 1.
      const loadRefused = await stack.cli('reload');
      expect(loadRefused.code).toBe(1);
      expect(loadRefused.stdout).toContain('gateway: reload refused');
      await waitUntil(
        'the gateway to report the broken module',
        () =>
          Promise.resolve(
            /Reload failed[\s\S]*module task-position[^\n]*expected a default export/.test(stack.output()),
          ),
        10_000,
      );
      const kept = await demo('POST', '/tasks', demoToken, { title: 'Still served' });
      expect(kept.status).toBe(201);
      expect(kept.json.data.position).toBe(1000);
      writeFileSync(file, original);
    });
  });
});
