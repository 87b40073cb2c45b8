import type { TokenClaims } from '@sogoms/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrudModule } from './crud.module.js';
import { errorEnvelope, startGatewayFixture, type GatewayFixture } from './testing/gateway.fixture.js';

/**
 * The generic `:table` routes over HTTP (Fastify inject): verbs to service calls, status codes,
 * OptionalAuthGuard and @Caller(), and both envelopes. The decisions themselves are
 * crud.service.spec.ts's.
 */
describe('CrudController over HTTP', () => {
  let fx: GatewayFixture;
  let alice: TokenClaims;
  let aliceToken: string;
  let bobToken: string;
  let bobTask: number;

  beforeAll(async () => {
    fx = await startGatewayFixture({
      features: [CrudModule],
      label: 'crud_controller',
      // A table anyone may list and read, to see a request without a token reach the service.
      editTables: (tables) => {
        delete tables.tags.filter;
        tables.tags.public = ['list', 'read'];
      },
    });
    alice = await fx.user('alice@example.test');
    const bob = await fx.user('bob@example.test');
    aliceToken = await fx.token(alice);
    bobToken = await fx.token(bob);
    bobTask = await fx.insert('tasks', { user_id: Number(bob.sub), title: 'Bob task' });
    await fx.insert('tags', { user_id: Number(bob.sub), name: 'shared' });
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('POST creates (201) as the token’s user; GET lists (200) with meta; GET :id reads', async () => {
    const created = await fx.request('POST', '/tasks', { token: aliceToken, body: { title: 'Via HTTP' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      success: true,
      data: expect.objectContaining({ title: 'Via HTTP', user_id: Number(alice.sub) }),
    });
    const id = created.json.data.id as number;

    const listed = await fx.request('GET', `/tasks?filter[title]=Via%20HTTP&count=true`, {
      token: aliceToken,
    });
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({
      success: true,
      data: [expect.objectContaining({ id })],
      meta: { limit: 50, offset: 0, total: 1 },
    });

    const read = await fx.request('GET', `/tasks/${id}?fields=id,title`, { token: aliceToken });
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ success: true, data: { id, title: 'Via HTTP' } });
  });

  it('PATCH, PUT and DELETE answer 200 with the row, then the key fields', async () => {
    const id = (await fx.request('POST', '/tasks', { token: aliceToken, body: { title: 'Draft' } })).json.data
      .id;
    const patched = await fx.request('PATCH', `/tasks/${id}`, { token: aliceToken, body: { position: 3 } });
    expect(patched.status).toBe(200);
    expect(patched.json.data).toMatchObject({ id, title: 'Draft', position: 3 });
    // PUT puts absent fields back to their defaults.
    const replaced = await fx.request('PUT', `/tasks/${id}`, { token: aliceToken, body: { title: 'Final' } });
    expect(replaced.status).toBe(200);
    expect(replaced.json.data).toMatchObject({ id, title: 'Final', position: 0 });
    const removed = await fx.request('DELETE', `/tasks/${id}`, { token: aliceToken });
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual({ success: true, data: { id } });
    expect(await fx.select('SELECT id FROM tasks WHERE id = ?', [id])).toEqual([]);
  });

  it('answers errors in the error envelope with their status', async () => {
    const foreign = await fx.request('GET', `/tasks/${bobTask}`, { token: aliceToken });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual(errorEnvelope('NOT_FOUND', 'No tasks with this id'));
    const invalid = await fx.request('POST', '/tasks', { token: aliceToken, body: { title: 1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual(
      errorEnvelope('VALIDATION_FAILED', 'Invalid request body', { title: [expect.any(String)] }),
    );
    const notAllowed = await fx.request('POST', '/users', { token: aliceToken, body: { email: 'x@y.z' } });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.json.error.code).toBe('METHOD_NOT_ALLOWED');
    expect((await fx.request('GET', '/nope', { token: aliceToken })).status).toBe(404);
  });

  it('refuses a malformed JSON body and a text body before the handler', async () => {
    const post = (contentType: string, body: string) =>
      fx.request('POST', '/tasks', { token: aliceToken, headers: { 'content-type': contentType }, body });
    const malformed = await post('application/json', '{"title":');
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual(errorEnvelope('BAD_REQUEST', 'Malformed JSON body'));
    const text = await post('text/plain', 'title');
    expect(text.status).toBe(415);
    expect(await fx.select("SELECT id FROM tasks WHERE title = 'title'")).toEqual([]);
  });

  describe('OptionalAuthGuard', () => {
    it('without a token the caller is null: public tables answer, owned ones are 401', async () => {
      const tags = await fx.request('GET', '/tags');
      expect(tags.status).toBe(200);
      expect(tags.json.data.map((t: { name: string }) => t.name)).toEqual(['shared']);
      const tasks = await fx.request('GET', '/tasks');
      expect(tasks.status).toBe(401);
      expect(tasks.json).toEqual(errorEnvelope('UNAUTHORIZED', 'Missing bearer token'));
    });

    it('a token that is present must be valid, even on a public table', async () => {
      const wrongKey = await fx.request('GET', '/tags', {
        token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      });
      expect(wrongKey.status).toBe(401);
      const malformed = await fx.request('GET', '/tags', { headers: { authorization: 'Token abc' } });
      expect(malformed.status).toBe(401);
      expect(malformed.json.error.message).toBe('Malformed Authorization header: expected Bearer <token>');
    });

    it('@Caller() carries the token’s user to the service', async () => {
      const asBob = await fx.request('GET', '/tasks', { token: bobToken });
      expect(asBob.json.data.map((t: { id: number }) => t.id)).toEqual([bobTask]);
    });
  });
});
