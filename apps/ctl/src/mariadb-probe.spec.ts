import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MariaDbProbe } from './mariadb-probe.js';

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// The machine's real MariaDB (127.0.0.1:3306, root without password).
describe('MariaDbProbe', () => {
  const probe = new MariaDbProbe(2000);

  it('passes for a server that accepts the login', async () => {
    expect(await probe.probe({ host: '127.0.0.1', port: 3306, user: 'root', password: '' })).toBeNull();
  });

  it('says connection refused when nothing listens', async () => {
    const port = await closedPort();
    expect(await probe.probe({ host: '127.0.0.1', port, user: 'root', password: '' })).toEqual({
      stage: 'connect',
      reason: 'connection refused',
    });
  });

  it('tells a refused login apart from an unreachable server', async () => {
    expect(
      await probe.probe({ host: '127.0.0.1', port: 3306, user: 'sogoms_test_ctl_nobody', password: 'wrong' }),
    ).toEqual({ stage: 'login', reason: 'access denied' });
  });
});
