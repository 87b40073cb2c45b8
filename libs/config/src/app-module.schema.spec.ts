import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemsOf } from './testing/config-problems.js';
import { createConfigFixture, type ConfigFixture } from './testing/config.fixture.js';
import { loadAppConfigs } from './config.loader.js';

describe('app.yaml docs and modules', () => {
  let fx: ConfigFixture;
  beforeEach(() => (fx = createConfigFixture()));
  afterEach(() => fx.remove());

  it('defaults to private docs and no modules', () => {
    fx.app('shop');
    const [shop] = loadAppConfigs(fx.root);
    expect(shop.docs).toBe('private');
    expect(shop.modules).toEqual([]);
  });

  it('reads docs: public and refuses anything else', () => {
    fx.app('shop', { docs: 'public' });
    expect(loadAppConfigs(fx.root)[0].docs).toBe('public');
    fx.app('shop', { docs: 'open' });
    expect(problemsOf(() => loadAppConfigs(fx.root))[0]).toMatchObject({
      key: 'docs',
      expected: 'one of public, private',
      got: '"open"',
    });
  });

  it('reads file modules (relative to the app folder) and packages, with names and options', () => {
    fx.write('apps/shop/modules/task-position.mjs', 'export default {};');
    fx.write('apps/shop/modules/audit.js', 'export default {};');
    fx.app('shop', {
      modules: [
        './modules/task-position.mjs',
        { use: './modules/audit.js', name: 'audit-log', options: { level: 2 } },
        '@acme/sogoms-webhooks',
      ],
    });
    expect(loadAppConfigs(fx.root)[0].modules).toEqual([
      {
        name: 'task-position',
        kind: 'file',
        target: resolve(fx.root, 'apps/shop/modules/task-position.mjs'),
        options: {},
      },
      {
        name: 'audit-log',
        kind: 'file',
        target: resolve(fx.root, 'apps/shop/modules/audit.js'),
        options: { level: 2 },
      },
      { name: '@acme/sogoms-webhooks', kind: 'package', target: '@acme/sogoms-webhooks', options: {} },
    ]);
  });

  it('names each bad module entry', () => {
    fx.write('apps/shop/modules/hooks.ts', 'export default {};');
    fx.write('apps/shop/modules/a.mjs', 'export default {};');
    fx.app('shop', {
      modules: [
        './modules/missing.mjs',
        './modules/hooks.ts',
        'Not A Package!',
        { use: './modules/a.mjs', colour: 'red' },
        { use: './modules/a.mjs', options: 'x' },
      ],
    });
    const problems = problemsOf(() => loadAppConfigs(fx.root));
    expect(problems.map((p) => [p.key, p.got])).toEqual([
      ['modules[0]', '"./modules/missing.mjs" (no such file)'],
      ['modules[1]', '"./modules/hooks.ts"'],
      ['modules[2]', '"Not A Package!"'],
      ['modules[3].colour', 'an unknown key'],
      ['modules[4].options', '"x"'],
    ]);
    expect(problems[1].expected).toContain('.js or .mjs');
  });

  it('refuses two modules with the same name', () => {
    fx.write('apps/shop/modules/a.mjs', 'export default {};');
    fx.app('shop', { modules: ['./modules/a.mjs', { use: './modules/a.mjs' }] });
    expect(problemsOf(() => loadAppConfigs(fx.root))[0]).toMatchObject({
      key: 'modules[1]',
      expected: 'modules with distinct names',
      got: 'a',
    });
  });
});
