import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, startStack, type TestStack } from './support/stack.js';

// A `.serial` spec: `npm test` runs it after the others, alone, because its bound (3 s from a
// kill -9 to the next good login, the foundation issue's promise) measures the machine too.
const DB = `sogoms_test_e2e_restart_${randomBytes(3).toString('hex')}`;
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };
const RESTART_BOUND_MS = 3000;

interface ServiceStatus {
  name: string;
  pid: number;
  restarts: number;
}

describe('supervisor restart of a crashed db service', () => {
  let stack: TestStack;
  const login = () => stack.call({ method: 'POST', path: '/api/auth/login', host: 'demo.test', body: DEMO });
  const status = async (): Promise<ServiceStatus[]> =>
    (JSON.parse((await stack.cli('status', '--json')).stdout) as { services: ServiceStatus[] }).services;

  beforeAll(async () => {
    stack = await startStack([
      {
        name: 'demo',
        hosts: ['demo.test'],
        database: DB,
        secret: 'restart-demo-secret-0123456789abcdef0123456789',
        initFromDemo: true,
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(DB);
  });

  it('restarts the db service after kill -9, and the next login succeeds within 3 s', async () => {
    expect((await login()).status).toBe(200);
    const db = (await status()).find((s) => s.name === 'db')!;
    process.kill(db.pid, 'SIGKILL');
    const killedAt = Date.now();
    let answer = await login();
    while (answer.status !== 200 && Date.now() - killedAt < RESTART_BOUND_MS) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await login();
    }
    expect(answer.status).toBe(200);
    expect(Date.now() - killedAt).toBeLessThan(RESTART_BOUND_MS);
    const restarted = (await status()).find((s) => s.name === 'db')!;
    expect(restarted.pid).not.toBe(db.pid);
    expect(restarted.restarts).toBe(db.restarts + 1);
  });
});
