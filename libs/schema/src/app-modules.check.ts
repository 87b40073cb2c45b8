import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { AppConfig, ConfigProblem } from '@sogoms/config';

/**
 * Parses each file module of the apps as an ES module in a child `node --check` (nothing of it
 * runs), so `sogoms reload` reports a syntax error instead of signalling a gateway that would
 * refuse the reload. What only running the module shows (a bad export, a throwing factory) is
 * still reported by the gateway alone. Packages are not checked: they are loaded once at start.
 */
export const checkModuleSyntax = (displayRoot: string, apps: readonly AppConfig[]): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  for (const app of apps) {
    app.modules.forEach((module, index) => {
      if (module.kind !== 'file') return;
      const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
        input: readFileSync(module.target),
        encoding: 'utf8',
        timeout: 10_000,
      });
      if (check.status === 0) return;
      const reason = /^\w*Error: .*$/m.exec(check.stderr)?.[0] ?? 'it does not parse';
      problems.push({
        file: relative(displayRoot, `${app.dir}/app.yaml`),
        key: `modules[${index}]`,
        expected: 'a file that parses as an ES module',
        got: `${relative(displayRoot, module.target)} (${reason})`,
      });
    });
  }
  return problems;
};
