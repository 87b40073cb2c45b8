import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyringFile } from '@sogoms/crypt';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../cli-context.js';
import { secretsGenerateCommand } from './secrets-generate.command.js';

describe('secrets generate', () => {
  let fixture: ConfigFixture;
  let out: string[];
  const ctx = (args: string[]): CliContext<object> => ({
    args,
    options: {},
    configRoot: fixture.root,
    out: (line) => out.push(line),
    err: () => undefined,
  });

  beforeEach(() => {
    fixture = createConfigFixture();
    fixture.app('shop');
    out = [];
  });
  afterEach(() => fixture.remove());

  it('writes a mode-600 keys file that loads, once', async () => {
    expect(await secretsGenerateCommand.run(ctx(['shop']))).toBe(0);
    const file = join(fixture.root, 'apps/shop/secrets/crypt.keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readKeyringFile(file, 'shop').currentId).toBe('k1');
    expect(out[0]).toContain(`wrote ${file} (mode 600)`);
    await expect(secretsGenerateCommand.run(ctx(['shop']))).rejects.toThrow(
      'exists already: keys are never overwritten',
    );
  });
});
