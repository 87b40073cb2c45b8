import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { createConfigFixture, type ConfigFixture } from './testing/config.fixture.js';
import { DEFAULT_NODE_ARGS } from './default-node-args.js';
import { loadSupervisorConfig } from './supervisor-config.loader.js';

const configErrorOf = (load: () => unknown): ConfigError => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
};

describe('loadSupervisorConfig', () => {
  let fx: ConfigFixture;
  /** The fixture's project root: the config root's parent, where the entries live. */
  let project: string;
  beforeEach(() => {
    fx = createConfigFixture();
    project = dirname(fx.root);
    fx.write('../dist/logs.js', '');
    fx.write('../dist/db.js', '');
  });
  afterEach(() => fx.remove());

  it('fills in defaults and makes entries absolute against the project root', () => {
    fx.write('sogoctl.yaml', {
      services: [
        { name: 'logs', entry: 'dist/logs.js' },
        {
          name: 'db',
          entry: 'dist/db.js',
          depends_on: ['logs'],
          health: { kind: 'http', url: 'http://127.0.0.1:9100/health', interval_ms: 250 },
          start_timeout_s: 5,
          reload_signal: 'SIGHUP',
        },
      ],
    });
    expect(loadSupervisorConfig(fx.root)).toEqual({
      restart: { initialDelayMs: 200, maxDelayMs: 10_000, resetAfterMs: 60_000 },
      stopGraceMs: 5000,
      services: [
        {
          name: 'logs',
          entry: join(project, 'dist/logs.js'),
          dependsOn: [],
          health: { kind: 'socket', intervalMs: 1000, timeoutMs: 1000 },
          startTimeoutS: 20,
          reloadSignal: null,
          transports: ['unix', 'inprocess', 'nats'],
          nodeArgs: DEFAULT_NODE_ARGS.logs,
        },
        {
          name: 'db',
          entry: join(project, 'dist/db.js'),
          dependsOn: ['logs'],
          health: { kind: 'http', url: 'http://127.0.0.1:9100/health', intervalMs: 250, timeoutMs: 1000 },
          startTimeoutS: 5,
          reloadSignal: 'SIGHUP',
          transports: ['unix', 'inprocess', 'nats'],
          nodeArgs: DEFAULT_NODE_ARGS.db,
        },
      ],
    });
  });

  it('accepts the project file config/sogoctl.yaml', () => {
    const root = fileURLToPath(new URL('../../../config', import.meta.url));
    const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
    let config;
    try {
      config = loadSupervisorConfig(root, { projectRoot });
    } catch (error) {
      // Before a build only the entries (dist/...) may be missing.
      if (!(error instanceof ConfigError)) throw error;
      expect(error.problems.map((p) => p.key).filter((key) => !/^services\[\d+\]\.entry$/.test(key))).toEqual(
        [],
      );
      return;
    }
    expect(config.services.map((s) => s.name)).toEqual([
      'logs',
      'db',
      'mailer',
      'push',
      'cron',
      'gateway',
      'admin',
    ]);
    expect(config.services.filter((s) => s.reloadSignal === 'SIGHUP').map((s) => s.name)).toEqual([
      'db',
      'mailer',
      'push',
      'cron',
      'gateway',
      'admin',
    ]);
  });

  it('lists every problem with file, line, key and expectation', () => {
    fx.write(
      'sogoctl.yaml',
      [
        'restart:',
        '  initial_delay_ms: 500',
        '  max_delay_ms: 100',
        'services:',
        '  - name: logs',
        '    entry: dist/missing.js',
        '  - name: db',
        '    entry: dist/db.js',
        '    depends_on: [logz]',
        '    health: { kind: http }',
        '    reload_signal: SIGKILL',
        '',
      ].join('\n'),
    );
    const error = configErrorOf(() => loadSupervisorConfig(fx.root));
    expect(error.problems).toEqual([
      {
        file: 'config/sogoctl.yaml',
        line: 3,
        key: 'restart.max_delay_ms',
        expected: 'at least initial_delay_ms (500)',
        got: '100',
      },
      {
        file: 'config/sogoctl.yaml',
        line: 10,
        key: 'services[1].health.url',
        expected: 'an http:// URL (e.g. http://127.0.0.1:8080/health)',
        got: 'nothing',
      },
      {
        file: 'config/sogoctl.yaml',
        line: 11,
        key: 'services[1].reload_signal',
        expected: 'one of SIGHUP, SIGUSR1, SIGUSR2',
        got: '"SIGKILL"',
      },
    ]);
  });

  it('node_args: node options placed before the entry; anything but an option is refused', () => {
    fx.write('sogoctl.yaml', {
      services: [{ name: 'logs', entry: 'dist/logs.js', node_args: ['--max-semi-space-size=1', '--no-opt'] }],
    });
    expect(loadSupervisorConfig(fx.root).services[0].nodeArgs).toEqual([
      '--max-semi-space-size=1',
      '--no-opt',
    ]);
    fx.write('sogoctl.yaml', {
      services: [{ name: 'logs', entry: 'dist/logs.js', node_args: ['other.js', '--inspect'] }],
    });
    expect(configErrorOf(() => loadSupervisorConfig(fx.root)).problems).toEqual([
      expect.objectContaining({
        key: 'services[0].node_args[0]',
        expected: 'a node option such as --max-semi-space-size=1',
      }),
    ]);
  });

  it('node_args absent: the built-in options of a service of that name; a given list (even []) replaces them', () => {
    fx.write('../dist/gateway.js', '');
    fx.write('../dist/mail.js', '');
    fx.write('sogoctl.yaml', {
      services: [
        { name: 'logs', entry: 'dist/logs.js', node_args: null },
        { name: 'db', entry: 'dist/db.js', node_args: ['--max-semi-space-size=4'] },
        { name: 'gateway', entry: 'dist/gateway.js', node_args: [] },
        { name: 'mail', entry: 'dist/mail.js' },
      ],
    });
    expect(loadSupervisorConfig(fx.root).services.map((s) => [s.name, s.nodeArgs])).toEqual([
      ['logs', DEFAULT_NODE_ARGS.logs],
      ['db', ['--max-semi-space-size=4']],
      ['gateway', []],
      ['mail', []],
    ]);
  });

  it('checks names and dependencies across services', () => {
    fx.write('sogoctl.yaml', {
      services: [
        { name: 'logs', entry: 'dist/logs.js' },
        { name: 'logs', entry: 'dist/db.js', depends_on: ['logz'] },
        { name: 'sogoctl', entry: 'dist/db.js' },
      ],
    });
    const error = configErrorOf(() => loadSupervisorConfig(fx.root));
    expect(error.problems.map(({ key, expected, got }) => ({ key, expected, got }))).toEqual([
      { key: 'services[1].name', expected: 'a name no other service has', got: '"logs"' },
      { key: 'services[1].depends_on[0]', expected: 'one of the other services (sogoctl)', got: '"logz"' },
      { key: 'services[2].name', expected: 'a name other than sogoctl', got: '"sogoctl"' },
    ]);
  });

  it('reports an entry that does not exist, hinting at the build', () => {
    fx.write('sogoctl.yaml', { services: [{ name: 'logs', entry: 'dist/apps/logs/src/main.js' }] });
    const [problem] = configErrorOf(() => loadSupervisorConfig(fx.root)).problems;
    expect(problem).toEqual({
      file: 'config/sogoctl.yaml',
      line: 3,
      key: 'services[0].entry',
      expected: `an existing file relative to the project root ${project} (run npm run build?)`,
      got: '"dist/apps/logs/src/main.js" (no such file)',
    });
  });

  it('requires the file and at least one service', () => {
    expect(configErrorOf(() => loadSupervisorConfig(fx.root)).problems[0]).toMatchObject({
      file: 'config/sogoctl.yaml',
      expected: 'a readable file',
      got: 'ENOENT',
    });
    fx.write('sogoctl.yaml', { services: [] });
    expect(configErrorOf(() => loadSupervisorConfig(fx.root)).problems[0]).toMatchObject({
      key: 'services',
      got: '0 items',
    });
  });
});
