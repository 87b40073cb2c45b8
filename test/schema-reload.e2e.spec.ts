import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSchemaYaml, type SchemaDef, type TableDef } from '@sogoms/schema';
import { aField, anIdField, aTable } from '@sogoms/schema/testing';
import { createDemoDatabase, scanSchema } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_schema_reload_${randomBytes(3).toString('hex')}`;
const SECRET = 'schema-reload-secret-0123456789abcdef012345';
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };

/** Tables only in schema.yaml (never requested): they make the file large enough to take a while. */
const padding = (note: string): TableDef[] =>
  Array.from({ length: 400 }, (_, i) =>
    aTable(`pad_${String(i).padStart(3, '0')}`, {
      fields: [anIdField(), aField('name', { type: 'string', length: 50 })],
      comment: note,
    }),
  );

describe('a schema reload under a request loop', () => {
  let stack: TestStack;
  let demo: SchemaDef;
  let token: string;
  const schemaFile = (): string => join(stack.config.configRoot, 'apps', 'crud', 'schema.yaml');
  const get = (path: string) =>
    stack.call({ host: 'crud.test', path: `/api${path}`, headers: { authorization: `Bearer ${token}` } });
  const statuses = () => get('/statuses?limit=1');
  /** The data dictionary of a table that only the new schema has. */
  const markerDocs = () => get('/_schema/pad_marker');

  beforeAll(async () => {
    await createDemoDatabase(DB);
    demo = await scanSchema(DB);
    const schemaYaml = writeSchemaYaml({ ...demo, tables: [...demo.tables, ...padding('first')] });
    stack = await startStack([
      { name: 'crud', hosts: ['crud.test'], database: DB, secret: SECRET, schemaYaml },
    ]);
    token = (await stack.call({ host: 'crud.test', method: 'POST', path: '/api/auth/login', body: DEMO }))
      .json.data.token;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(DB);
  });

  it('answers every request while the gateway rebuilds every table, then serves the new schema', async () => {
    expect((await markerDocs()).status).toBe(404);
    let running = true;
    const answers: number[] = [];
    const loop = async (): Promise<void> => {
      while (running) answers.push((await statuses()).status);
    };
    const loops = Array.from({ length: 4 }, loop);
    await waitUntil('the loop to run', () => Promise.resolve(answers.length > 10), 10_000);

    // Every padding table's text changes (a new comment), and one more table appears.
    const marker = aTable('pad_marker', { fields: [anIdField()] });
    writeFileSync(
      schemaFile(),
      writeSchemaYaml({ ...demo, tables: [...demo.tables, ...padding('second'), marker] }),
    );
    const before = answers.length;
    const reload = await stack.cli('reload');
    expect(reload.code).toBe(0);
    await waitUntil('the new schema', async () => (await markerDocs()).status === 200, 20_000).catch(
      (error: unknown) => {
        running = false;
        throw new Error(`${String(error)}\nreload: ${reload.stdout}\n${stack.output().slice(-3000)}`);
      },
    );
    const during = answers.length - before;
    running = false;
    await Promise.all(loops);

    expect(during).toBeGreaterThan(0);
    expect(answers.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});
