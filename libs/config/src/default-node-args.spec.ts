import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_ARGS, SUPERVISOR_NODE_ARGS, defaultNodeArgs } from './default-node-args.js';

const projectFile = (path: string): string =>
  readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('default node options', () => {
  it('are node options, and a copy per call', () => {
    for (const args of [...Object.values(DEFAULT_NODE_ARGS), SUPERVISOR_NODE_ARGS]) {
      for (const arg of args) expect(arg).toMatch(/^--[a-z][a-z-]*(=\d+)?$/);
    }
    const first = defaultNodeArgs('logs');
    first.push('--changed');
    expect(defaultNodeArgs('logs')).toEqual(DEFAULT_NODE_ARGS.logs);
    expect(defaultNodeArgs('unknown')).toEqual([]);
  });

  it('are accepted by this node (a misspelt option makes it exit with "bad option")', () => {
    for (const args of [...Object.values(DEFAULT_NODE_ARGS), SUPERVISOR_NODE_ARGS]) {
      const run = spawnSync(process.execPath, [...args, '-e', 'process.stdout.write("ok")'], {
        encoding: 'utf8',
      });
      expect({ args, status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
        args,
        status: 0,
        stdout: 'ok',
        stderr: '',
      });
    }
  });

  it('npm start runs the supervisor with SUPERVISOR_NODE_ARGS', () => {
    const start = (JSON.parse(projectFile('package.json')) as { scripts: { start: string } }).scripts.start;
    expect(start).toContain(`node ${SUPERVISOR_NODE_ARGS.join(' ')} dist/bundle/ctl/main.js`);
  });

  it('the project file leaves the services on the defaults', () => {
    const file = parse(projectFile('config/sogoctl.yaml')) as {
      services: { name: string; node_args?: unknown }[];
    };
    expect(file.services.filter((s) => s.node_args !== undefined).map((s) => s.name)).toEqual([]);
  });
});
