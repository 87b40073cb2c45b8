import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SogomsError } from '@sogoms/common';
import { ControlServer, type ControlHandler } from './control-server.js';
import { SupervisorLog } from './supervisor-log.js';

/** Sends raw text and collects `count` answer lines. */
const exchange = (path: string, text: string, count: number): Promise<unknown[]> =>
  new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n').filter((line) => line !== '');
      if (lines.length >= count && buffered.endsWith('\n')) {
        socket.destroy();
        resolve(lines.map((line) => JSON.parse(line) as unknown));
      }
    });
    socket.on('error', reject);
  });

describe('ControlServer', () => {
  let dir: string;
  let server: ControlServer;
  let calls: string[];

  const handler: ControlHandler = {
    status: () => ({
      services: [{ name: 'db', pid: 42, uptime_s: 7, restarts: 1, healthy: true, rss_bytes: 1024 }],
    }),
    restart: async (service) => {
      calls.push(`restart ${service}`);
      if (service !== 'db') throw new SogomsError('NOT_FOUND', `unknown service ${service}`);
      // Slower than the status that follows it on the same connection: answers must stay in order.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { service: { name: 'db', pid: 43, uptime_s: 0, restarts: 2, healthy: true, rss_bytes: null } };
    },
    reload: () => Promise.resolve({ services: [] }),
    stop: () => Promise.reject(new Error('disk on fire')),
    metrics: (report) => calls.push(`metrics ${report.service}`),
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ctl-control-'));
    calls = [];
    server = new ControlServer(
      join(dir, 'sogoctl.sock'),
      handler,
      new SupervisorLog([], new PassThrough(), new PassThrough()),
    );
    await server.listen();
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers status with the common success envelope', async () => {
    expect(await exchange(join(dir, 'sogoctl.sock'), '{"cmd":"status"}\n', 1)).toEqual([
      {
        success: true,
        data: {
          services: [{ name: 'db', pid: 42, uptime_s: 7, restarts: 1, healthy: true, rss_bytes: 1024 }],
        },
      },
    ]);
  });

  it('answers several requests on one connection in request order', async () => {
    const answers = await exchange(
      join(dir, 'sogoctl.sock'),
      '{"cmd":"restart","service":"db"}\n{"cmd":"status"}\n',
      2,
    );
    expect(answers).toMatchObject([
      { data: { service: { pid: 43 } } },
      { data: { services: [{ pid: 42 }] } },
    ]);
  });

  it('turns errors into error envelopes: codes pass, internal details do not', async () => {
    const answers = await exchange(
      join(dir, 'sogoctl.sock'),
      'nonsense\n{"cmd":"restart","service":"web"}\n{"cmd":"stop"}\n',
      3,
    );
    expect(answers).toEqual([
      { success: false, error: { code: 'BAD_REQUEST', message: 'request is not JSON', details: null } },
      { success: false, error: { code: 'NOT_FOUND', message: 'unknown service web', details: null } },
      {
        success: false,
        error: { code: 'INTERNAL', message: 'the supervisor failed to carry out the request', details: null },
      },
    ]);
    expect(calls).toEqual(['restart web']);
  });

  it('lets only its owner connect', () => {
    expect(statSync(join(dir, 'sogoctl.sock')).mode & 0o777).toBe(0o600);
  });
});
