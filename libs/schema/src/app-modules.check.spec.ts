import { loadConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkModuleSyntax } from './app-modules.check.js';

describe('checkModuleSyntax', () => {
  let fixture: ConfigFixture;
  beforeEach(() => {
    fixture = createConfigFixture();
    fixture.global({});
  });
  afterEach(() => fixture.remove());

  const check = () => checkModuleSyntax(dirname(fixture.root), loadConfig(fixture.root).apps);

  it('accepts modules that parse as ES modules, without running them', () => {
    fixture.write('apps/shop/modules/ok.mjs', 'export default { before() {} };');
    // Would throw if it ran: a syntax check does not run it.
    fixture.write('apps/shop/modules/runs.js', "throw new Error('ran');\nexport default {};");
    fixture.app('shop', { modules: ['./modules/ok.mjs', './modules/runs.js', 'some-package'] });
    expect(check()).toEqual([]);
  });

  it('names the app.yaml entry and the syntax error of a broken module', () => {
    fixture.write('apps/shop/modules/ok.mjs', 'export default {};');
    fixture.write('apps/shop/modules/broken.js', 'export default {');
    fixture.app('shop', { modules: ['./modules/ok.mjs', './modules/broken.js'] });
    expect(check()).toEqual([
      {
        file: 'config/apps/shop/app.yaml',
        key: 'modules[1]',
        expected: 'a file that parses as an ES module',
        got: 'config/apps/shop/modules/broken.js (SyntaxError: Unexpected end of input)',
      },
    ]);
  });
});
