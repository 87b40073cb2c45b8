import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliFailure } from './cli-context.js';
import { describeReload, SupervisorClient } from './supervisor-client.js';

const controlSocketPath = (runDir: string): string => new SupervisorClient(runDir).socketPath;
const requestReload = (runDir: string, timeoutMs?: number) =>
  new SupervisorClient(runDir).requestReload(timeoutMs);

/** A fake supervisor: records request lines and answers each with `answer(line)` (or not at all). */
const fakeSupervisor = async (
  runDir: string,
  answer: (line: string) => string | null,
): Promise<{ server: Server; lines: string[] }> => {
  const lines: string[] = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.slice(0, newline);
      lines.push(line);
      const reply = answer(line);
      if (reply !== null) socket.write(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(controlSocketPath(runDir), resolve));
  return { server, lines };
};

// Each test starts its own fake supervisor in its own run dir; both go after it.
let runDir: string;
let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  rmSync(runDir, { recursive: true, force: true });
});

describe('requestReload', () => {
  it('sends {"cmd":"reload"} and reports the services signalled', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-reload-'));
    const fake = await fakeSupervisor(
      runDir,
      () =>
        JSON.stringify({ success: true, data: { services: [{ name: 'db' }, { name: 'gateway' }] } }) + '\n',
    );
    server = fake.server;
    const result = await requestReload(runDir);
    expect(fake.lines).toEqual(['{"cmd":"reload"}']);
    expect(result).toEqual({ status: 'reloaded', services: ['db', 'gateway'] });
    expect(describeReload(result)).toBe('reloaded: db, gateway');
  });

  it('reports a refusal with the supervisor message', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-reload-'));
    server = (
      await fakeSupervisor(
        runDir,
        () =>
          JSON.stringify({
            success: false,
            error: { code: 'VALIDATION_FAILED', message: 'schema.yaml: bad', details: null },
          }) + '\n',
      )
    ).server;
    expect(await requestReload(runDir)).toEqual({ status: 'refused', message: 'schema.yaml: bad' });
  });

  it('is not_running when there is no socket, or a stale file nobody listens on', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-reload-'));
    expect(await requestReload(runDir)).toEqual({ status: 'not_running' });
    writeFileSync(controlSocketPath(runDir), '');
    expect((await requestReload(runDir)).status).toMatch(/not_running|failed/);
  });

  it('fails (does not hang) when the supervisor never answers', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-reload-'));
    server = (await fakeSupervisor(runDir, () => null)).server;
    const result = await requestReload(runDir, 100);
    expect(result.status).toBe('failed');
  });

  it('fails on an answer that is not JSON', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-reload-'));
    server = (await fakeSupervisor(runDir, () => 'hello\n')).server;
    expect(await requestReload(runDir)).toEqual({
      status: 'failed',
      message: 'the supervisor sent an answer that is not JSON',
    });
  });
});

describe('SupervisorClient.call', () => {
  it('returns the data of a success', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-call-'));
    const fake = await fakeSupervisor(
      runDir,
      () => JSON.stringify({ success: true, data: { services: [] } }) + '\n',
    );
    server = fake.server;
    expect(await new SupervisorClient(runDir).call({ cmd: 'status' }, 1000)).toEqual({ services: [] });
    expect(fake.lines).toEqual(['{"cmd":"status"}']);
  });

  it('fails with exit 1 and the message of a refusal', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-call-'));
    server = (
      await fakeSupervisor(
        runDir,
        () =>
          JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: 'unknown service x' } }) +
          '\n',
      )
    ).server;
    const refused = new SupervisorClient(runDir).call({ cmd: 'restart', service: 'x' }, 1000);
    await expect(refused).rejects.toThrow('unknown service x');
    await expect(refused).rejects.toMatchObject({ exitCode: 1 });
  });

  it('fails with exit 2 when no supervisor runs', async () => {
    runDir = mkdtempSync(join(tmpdir(), 'sogoms-cli-call-'));
    const call = new SupervisorClient(runDir).call({ cmd: 'status' }, 1000);
    await expect(call).rejects.toBeInstanceOf(CliFailure);
    await expect(call).rejects.toMatchObject({ exitCode: 2 });
    await expect(call).rejects.toThrow(
      /^the supervisor is not running \(no control socket at .*sogoctl\.sock\)/,
    );
  });
});
