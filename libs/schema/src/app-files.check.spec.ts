import { loadConfig, ConfigError } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAppFiles } from './app-files.check.js';

describe('checkAppFiles', () => {
  let fixture: ConfigFixture;
  beforeEach(() => {
    fixture = createConfigFixture();
    fixture.global({});
    fixture.app('shop');
    fixture.app('blog');
  });
  afterEach(() => fixture.remove());

  const check = (): void => checkAppFiles(fixture.root, loadConfig(fixture.root).apps);

  it('accepts apps without schema.yaml and with a valid one', () => {
    fixture.write(
      'apps/shop/schema.yaml',
      'tables:\n  item:\n    fields:\n      id: { type: int, primary: true }\n',
    );
    expect(check).not.toThrow();
  });

  it('refuses a broken schema.yaml with file, line and key, beside the problems of other apps', () => {
    fixture.write(
      'apps/shop/schema.yaml',
      'tables:\n  item:\n    fields:\n      id: { type: int, primary: yes }\n',
    );
    fixture.write('apps/blog/schema.yaml', 'tables: [oops]\n');
    let error: unknown;
    try {
      check();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toContainEqual({
      file: 'config/apps/shop/schema.yaml',
      line: 4,
      key: 'tables.item.fields.id.primary',
      expected: 'true or false',
      got: '"yes"',
    });
    expect(problems.some((p) => p.file === 'config/apps/blog/schema.yaml' && p.key === 'tables')).toBe(true);
    expect((error as ConfigError).message).toContain(
      'config/apps/shop/schema.yaml:4: tables.item.fields.id.primary: expected true or false, got "yes"',
    );
  });
});
