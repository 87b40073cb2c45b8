import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configRootFromArgs } from './config-root.js';

describe('configRootFromArgs', () => {
  it('defaults to ./config', () => {
    expect(configRootFromArgs([])).toBe(resolve('config'));
  });

  it('reads --config <dir> and --config=<dir>', () => {
    expect(configRootFromArgs(['--config', '/etc/sogoms'])).toBe('/etc/sogoms');
    expect(configRootFromArgs(['--verbose', '--config=conf'])).toBe(resolve('conf'));
  });
});
