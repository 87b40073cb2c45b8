import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '@sogoms/config';
import { compileNamedSql } from './named-sql.js';
import { parseDocument } from 'yaml';
import type { CompiledScenario, ScenarioStep } from './scenario.types.js';

const STEP_NAME = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['token', 'user']);
/** Values a scenario step may bind; anything else is a mistake caught at load time. */
export const SCENARIO_PARAMS = ['user_id', 'role', 'email', 'app'] as const;

interface Problem {
  file: string;
  key: string;
  expected: string;
}

/**
 * Reads `scenarios/**\/*.yaml` of one app and compiles each. Any problem stops the load with
 * a ConfigError naming the file, the key and what was expected, so a reload keeps the old set.
 */
export const loadScenarios = (appDir: string, displayRoot: string): Map<string, CompiledScenario> => {
  const root = join(appDir, 'scenarios');
  const scenarios = new Map<string, CompiledScenario>();
  if (!existsSync(root)) return scenarios;
  const problems: Problem[] = [];
  for (const file of listYaml(root)) {
    const id = relative(root, file).replace(/\.ya?ml$/, '');
    const shown = relative(displayRoot, file);
    const scenario = compileScenario(id, readFileSync(file, 'utf8'), (key, expected) =>
      problems.push({ file: shown, key, expected }),
    );
    if (scenario !== undefined) scenarios.set(id, scenario);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return scenarios;
};

const listYaml = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listYaml(path);
      return /\.ya?ml$/.test(entry.name) ? [path] : [];
    });

const compileScenario = (
  id: string,
  text: string,
  report: (key: string, expected: string) => void,
): CompiledScenario | undefined => {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    report('(file)', `valid YAML (${doc.errors[0].message.split('\n')[0]})`);
    return undefined;
  }
  const raw: unknown = doc.toJS();
  if (!isRecord(raw)) {
    report('(file)', 'a mapping with `steps`');
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'description' && key !== 'steps') report(key, 'one of description, steps (unknown key)');
  }
  if (raw.description !== undefined && typeof raw.description !== 'string') report('description', 'a string');
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    report('steps', 'a non-empty list of steps');
    return undefined;
  }
  const steps: ScenarioStep[] = [];
  const seen = new Set<string>();
  raw.steps.forEach((step: unknown, index) => {
    const at = `steps[${index}]`;
    if (!isRecord(step)) return report(at, 'a mapping with name and sql');
    for (const key of Object.keys(step)) {
      if (!['name', 'sql', 'single'].includes(key))
        report(`${at}.${key}`, 'one of name, sql, single (unknown key)');
    }
    const { name, sql, single } = step;
    if (typeof name !== 'string' || !STEP_NAME.test(name) || RESERVED.has(name) || seen.has(name)) {
      return report(`${at}.name`, 'a unique snake_case name other than token and user');
    }
    seen.add(name);
    if (typeof sql !== 'string' || sql.trim() === '') return report(`${at}.sql`, 'an SQL statement');
    if (single !== undefined && typeof single !== 'boolean') return report(`${at}.single`, 'true or false');
    let compiled;
    try {
      compiled = compileNamedSql(sql);
    } catch {
      return report(`${at}.sql`, 'SQL with :name placeholders (no ?)');
    }
    const unknown = compiled.params.filter((p) => !(SCENARIO_PARAMS as readonly string[]).includes(p));
    if (unknown.length > 0) {
      return report(
        `${at}.sql`,
        `placeholders among :${SCENARIO_PARAMS.join(', :')} (got :${unknown.join(', :')})`,
      );
    }
    steps.push({ name, sql: compiled, single: single === true });
  });
  return { id, description: typeof raw.description === 'string' ? raw.description : '', steps };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
