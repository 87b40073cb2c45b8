import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, startStack, type TestStack } from './support/stack.js';
import { plainDemoSchemaYaml } from './support/demo-schema.js';

const DB = `sogoms_test_export_${randomBytes(3).toString('hex')}`;
const SECRET = 'export-secret-0123456789abcdef0123456789ab';
const SCHEMA = plainDemoSchemaYaml();
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };

const READS = [
  '/tasks?limit=100&include=project,status,tags',
  '/projects?include=tasks',
  '/tags?sort=name',
  '/users',
  '/task_tags?limit=100',
];

describe('sogoms db export: an SQLite app into MariaDB, answering the same JSON', () => {
  let sqlite: TestStack;
  let mariadb: TestStack | undefined;

  const login = async (stack: TestStack): Promise<string> =>
    (await stack.call({ host: 'exp.test', method: 'POST', path: '/api/auth/login', body: DEMO })).json.data
      .token as string;
  const get = async (stack: TestStack, token: string, path: string): Promise<unknown> =>
    (
      await stack.call({
        host: 'exp.test',
        path: `/api${path}`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json;

  beforeAll(async () => {
    sqlite = await startStack([
      {
        name: 'exp',
        hosts: ['exp.test'],
        database: DB,
        secret: SECRET,
        schemaYaml: SCHEMA,
        engine: 'sqlite',
        initFromDemo: true,
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    await sqlite?.stop();
    await mariadb?.stop();
    await dropDatabase(DB);
  });

  it('copies schema and rows, checks the counts, and the API answers alike on both', async () => {
    const token = await login(sqlite);
    const write = (path: string, body: unknown) =>
      sqlite.call({
        host: 'exp.test',
        method: 'POST',
        path: `/api${path}`,
        headers: { authorization: `Bearer ${token}` },
        body,
      });
    const project = await write('/projects', { name: 'Exported', color: '#123456' });
    expect(project.status).toBe(201);
    const task = await write('/tasks', {
      title: 'Move to MariaDB',
      project_id: project.json.data.id,
      due_date: '2027-01-02',
    });
    expect(task.status).toBe(201);
    expect((await write('/task_tags', { task_id: task.json.data.id, tag_id: 1 })).status).toBe(201);

    const exported = await sqlite.cli('db', 'export', 'exp', '--to', `mysql://root@127.0.0.1:3306/${DB}`);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/tasks\s+13\s+13/);
    expect(exported.stdout).toContain(`exported app 'exp' (6 tables) to mysql://root@127.0.0.1:3306/${DB}`);

    mariadb = await startStack([
      { name: 'exp', hosts: ['exp.test'], database: DB, secret: SECRET, schemaYaml: SCHEMA },
    ]);
    const fromMariaDb = await login(mariadb);
    for (const path of READS)
      expect(await get(mariadb, fromMariaDb, path), path).toEqual(await get(sqlite, token, path));
    // Auto-increment goes on after the copied ids.
    const next = await mariadb.call({
      host: 'exp.test',
      method: 'POST',
      path: '/api/tasks',
      headers: { authorization: `Bearer ${fromMariaDb}` },
      body: { title: 'after the move' },
    });
    expect(next.json.data.id).toBe(14);
  });

  it('never writes into a database that holds tables', async () => {
    const again = await sqlite.cli('db', 'export', 'exp', '--to', `mysql://root@127.0.0.1:3306/${DB}`);
    expect(again.code).toBe(2);
    // The demo's 6 tables and the ones services keep there (mail queue, sessions, …).
    expect(again.stderr).toMatch(
      new RegExp(
        `database '${DB}' already holds \\d+ table\\(s\\): export writes only into a new or empty database`,
      ),
    );
  });
});
