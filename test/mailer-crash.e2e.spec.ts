import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGlobalConfig } from '@sogoms/config';
import { IpcClient, MAILER_PATTERNS, createClientProxy, type MailBulkQueued } from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_mailer_crash_${randomBytes(3).toString('hex')}`;
const SECRET = 'mailer-crash-secret-0123456789abcdef012345';
const MESSAGES = 2000;
const POOL = 4;

interface ServiceStatus {
  name: string;
  pid: number | null;
  healthy: boolean;
}

describe('kill -9 of the mailer in the middle of a 2,000-message bulk', () => {
  let peer: SmtpPeer;
  let stack: TestStack;

  beforeAll(async () => {
    // 5 ms per message: the bulk takes seconds, so the kill lands in the middle of it.
    peer = await startSmtpPeer({}, 0, 5);
    stack = await startStack([
      {
        name: 'shop',
        hosts: ['shop.localhost'],
        database: DB,
        initFromDemo: true,
        secret: SECRET,
        appYaml: {
          smtp: { host: '127.0.0.1', port: peer.port, starttls: 'off', from: 'shop@shop.test', pool: POOL },
        },
      },
    ]);
    const emails = join(stack.config.configRoot, 'apps/shop/emails');
    mkdirSync(emails, { recursive: true });
    writeFileSync(join(emails, 'note.yaml'), 'subject: "Note <%= it.n %>"\ntext: "n <%= it.n %>"\n');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await peer?.close();
    await dropDatabase(DB);
  });

  const mailer = async (): Promise<ServiceStatus> => {
    let found: ServiceStatus | undefined;
    await waitUntil(
      'the mailer to be healthy',
      async () => {
        const status = await stack.cli('status', '--json');
        if (status.code !== 0) return false;
        found = (JSON.parse(status.stdout) as { services: ServiceStatus[] }).services.find(
          (s) => s.name === 'mailer',
        );
        return found?.healthy === true && found.pid !== null;
      },
      30_000,
    );
    return found!;
  };

  it('delivers every message after the restart; only sends in flight at the kill go twice', async () => {
    const global = loadGlobalConfig(stack.config.configRoot);
    const client = new IpcClient(createClientProxy(global, 'mailer'), { timeoutMs: 30_000 });
    try {
      const recipients = Array.from({ length: MESSAGES }, (_, n) => ({
        to: `u${n}@example.test`,
        vars: { n },
      }));
      const queued = await client.call<MailBulkQueued>(MAILER_PATTERNS.sendBulk, {
        app: 'shop',
        template: 'note',
        recipients,
      });
      expect(queued).toMatchObject({ created: MESSAGES });
      expect(queued.ids).toHaveLength(MESSAGES);
    } finally {
      await client.close();
    }
    await waitUntil('some messages out', () => Promise.resolve(peer.received.length >= 100), 30_000);
    const before = await mailer();
    process.kill(before.pid!, 'SIGKILL');
    const atKill = peer.received.length;
    expect(atKill).toBeLessThan(MESSAGES);
    const after = await mailer();
    expect(after.pid).not.toBe(before.pid);
    const delivered = (): number => new Set(peer.received.flatMap((m) => m.to)).size;
    // The dead worker's claimed messages come back when its 30 s lease runs out.
    await waitUntil('every message delivered', () => Promise.resolve(delivered() === MESSAGES), 120_000);
    const duplicates = peer.received.length - MESSAGES;
    console.log(`mailer crash: ${atKill} sent before the kill, ${duplicates} sent twice (pool ${POOL})`);
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(POOL);
  }, 200_000);
});
