import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './main.js';

/** Runs the CLI with its output captured. */
const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('the sogoms program', () => {
  it('--help lists every command group, the exit codes and an example; exit 0', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const name of ['status', 'restart', 'reload', 'stop', 'schema', 'app', 'user'])
      expect(out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(out).toContain('Exit codes:');
    expect(out).toContain('$ sogoms status');
  });

  it('<group> --help and <group> <cmd> --help print aligned options and examples', async () => {
    const group = await cli('schema', '--help');
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/^Usage: sogoms schema \[options\] \[command\]/);
    expect(group.out).toContain('Examples:\n  $ sogoms schema validate shop');
    const leaf = await cli('schema', 'migrate', '--help');
    expect(leaf.code).toBe(0);
    const options = leaf.out.split('\n').filter((line) => /^ {2}--(apply|allow-drop)/.test(line));
    expect(options).toHaveLength(2);
    // Aligned: both descriptions start in the same column.
    expect(options[0].indexOf('run the statements')).toBe(options[1].indexOf('also drop'));
    expect(leaf.out).toContain('$ sogoms schema migrate shop --apply');
  });

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8'),
    ) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, out: version, err: '' });
  });

  it('names the nearest command or option of a typo; a usage error is exit 2', async () => {
    expect(await cli('statsu')).toEqual({
      code: 2,
      out: '',
      err: "error: unknown command 'statsu'\n(Did you mean status?)",
    });
    expect((await cli('schema', 'valdiate', 'shop')).err).toContain('(Did you mean validate?)');
    expect((await cli('status', '--jsno')).err).toContain('(Did you mean --json?)');
    expect((await cli('restart')).code).toBe(2);
    expect((await cli('restart')).err).toBe("error: missing required argument 'service'");
    // A group without a command prints its help, as a usage error.
    expect((await cli('user')).code).toBe(2);
  });
});

describe('the supervisor commands', () => {
  let root: string;
  let server: Server | undefined;
  const requests: string[] = [];

  /** A config root whose sogoms.yaml puts run_dir in the temp folder, and a fake supervisor there. */
  const supervisor = async (answer: (request: { cmd: string }) => unknown): Promise<void> => {
    server = createServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('data', (line: string) => {
        requests.push(line.trim());
        socket.write(`${JSON.stringify(answer(JSON.parse(line) as { cmd: string }))}\n`);
      });
    });
    await new Promise<void>((resolve) => server!.listen(join(root, 'run/sogoctl.sock'), resolve));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sogoms-cli-program-'));
    writeFileSync(join(root, 'sogoms.yaml'), 'run_dir: ./run\n');
    mkdirSync(join(root, 'run'));
    requests.length = 0;
  });
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('status prints a table; --json the raw object; --config names the root', async () => {
    const services = [
      { name: 'db', pid: 41, uptime_s: 3725, restarts: 0, healthy: true, rss_bytes: 52 * 1024 * 1024 },
      { name: 'gateway', pid: null, uptime_s: null, restarts: 2, healthy: false, rss_bytes: null },
    ];
    await supervisor(() => ({ success: true, data: { services } }));
    expect(await cli('status', '--config', root)).toEqual({
      code: 0,
      out: [
        'SERVICE  PID  UPTIME  RESTARTS  HEALTHY  MEMORY',
        'db       41   1h 02m  0         yes      52 MB',
        'gateway  -    -       2         no       -',
      ].join('\n'),
      err: '',
    });
    expect(JSON.parse((await cli('--config', root, 'status', '--json')).out)).toEqual({ services });
    expect(requests).toEqual(['{"cmd":"status"}', '{"cmd":"status"}']);
  });

  it('restart: exit 1 with the refusal, or when the service is not healthy', async () => {
    await supervisor((request) =>
      'service' in request && request.service === 'nope'
        ? { success: false, error: { code: 'NOT_FOUND', message: 'unknown service nope' } }
        : {
            success: true,
            data: { service: { name: 'db', pid: 7, uptime_s: 0, restarts: 1, healthy: false } },
          },
    );
    expect(await cli('restart', 'nope', '--config', root)).toEqual({
      code: 1,
      out: '',
      err: 'sogoms: unknown service nope',
    });
    const unhealthy = await cli('restart', 'db', '--config', root);
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.out).toBe("db restarted (pid 7) but is not healthy yet; see the supervisor's output");
  });

  it('fails fast with exit 2 when no supervisor runs', async () => {
    const started = Date.now();
    const { code, err } = await cli('status', '--config', root);
    expect(code).toBe(2);
    expect(err).toMatch(/^sogoms: the supervisor is not running \(no control socket at .*sogoctl\.sock\)/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
