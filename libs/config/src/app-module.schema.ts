import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { isRecord } from '@sogoms/common';
import type { AppModuleSpec } from './config.types.js';
import { describeValue, INVALID, type Schema } from './schema/config-schema.js';

/** `@scope/name`, `name`, optionally with a subpath (`@scope/name/hooks`). */
const PACKAGE = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/;
const MODULE_FILE = /\.m?js$/;
const NAME = /^[A-Za-z0-9_.@/-]{1,100}$/;
const EXPECTED =
  'a module: a plain ESM file of this app (./modules/x.js or .mjs) or an installed package name, ' +
  'or a mapping { use, name?, options? }';

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * One entry of app.yaml `modules:`. A string starting with `.` or `/` is a file (relative to
 * the app folder, `.js` or `.mjs`, must exist); any other string is an installed package.
 */
export const appModule = (): Schema<AppModuleSpec> => ({
  expected: EXPECTED,
  read(value, path, ctx) {
    const entry = isRecord(value) ? value : { use: value };
    for (const key of Object.keys(entry)) {
      if (!['use', 'name', 'options'].includes(key)) {
        ctx.report([...path, key], 'one of use, name, options', 'an unknown key');
        return INVALID;
      }
    }
    const { use, name, options } = entry;
    const at = isRecord(value) ? [...path, 'use'] : path;
    if (typeof use !== 'string' || use === '') {
      ctx.report(at, EXPECTED, describeValue(use));
      return INVALID;
    }
    if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) {
      ctx.report([...path, 'name'], 'a short name ([A-Za-z0-9_.@/-], at most 100)', describeValue(name));
      return INVALID;
    }
    if (options !== undefined && !isRecord(options)) {
      ctx.report([...path, 'options'], 'a mapping (handed to the module as is)', describeValue(options));
      return INVALID;
    }
    const common = { options: options ?? {} };
    if (use.startsWith('.') || use.startsWith('/')) {
      const file = resolve(ctx.dir, use);
      if (!MODULE_FILE.test(use)) {
        ctx.report(at, 'a plain ESM file ending in .js or .mjs (loaded without a build)', describeValue(use));
        return INVALID;
      }
      if (!isFile(file)) {
        ctx.report(at, 'an existing file (relative to this file)', `${describeValue(use)} (no such file)`);
        return INVALID;
      }
      return { ...common, name: name ?? basename(file, extname(file)), kind: 'file', target: file };
    }
    if (!PACKAGE.test(use)) {
      ctx.report(at, EXPECTED, describeValue(use));
      return INVALID;
    }
    return { ...common, name: name ?? use, kind: 'package', target: use };
  },
});
