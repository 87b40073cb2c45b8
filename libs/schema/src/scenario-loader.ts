import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isRecord } from '@sogoms/common';
import { ConfigError } from '@sogoms/config';
import { compileNamedSql, type CompiledSql } from './named-sql.js';
import { parseRoutePath, ROUTE_PATH_EXPECTED, routeShapeKey } from './route-path.js';
import { parseDocument } from 'yaml';
import {
  SCENARIO_METHODS,
  type CompiledScenario,
  type ScenarioEndpoint,
  type ScenarioMethod,
  type ScenarioStep,
} from './scenario.types.js';

const STEP_NAME = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['token', 'refresh_token', 'expires_in', 'user']);
/** Values every scenario step may bind; anything else is a mistake caught at load time. */
export const SCENARIO_PARAMS = ['user_id', 'role', 'email', 'app'] as const;
/** Request values an endpoint's steps may bind: `:path.id`, `:query.status`, `:body.title`. */
const REQUEST_PARAM = /^(path|query|body)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const WRITE_KEYWORD = /^\s*(insert|update|delete|replace)\b/i;
const TOP_KEYS = ['description', 'method', 'path', 'public', 'status', 'answer', 'steps'];
const STEP_KEYS = ['name', 'sql', 'kind', 'single', 'required'];

interface Problem {
  file: string;
  key: string;
  expected: string;
}

type Report = (key: string, expected: string) => void;

/**
 * Reads `scenarios/**\/*.yaml` of one app and compiles each. Any problem stops the load with
 * a ConfigError naming the file, the key and what was expected, so a reload keeps the old set.
 */
export const loadScenarios = (appDir: string, displayRoot: string): Map<string, CompiledScenario> => {
  const root = join(appDir, 'scenarios');
  const scenarios = new Map<string, CompiledScenario>();
  if (!existsSync(root)) return scenarios;
  const problems: Problem[] = [];
  const routes = new Map<string, string>();
  for (const file of listYaml(root)) {
    const id = relative(root, file).replace(/\.ya?ml$/, '');
    const shown = relative(displayRoot, file);
    const report: Report = (key, expected) => problems.push({ file: shown, key, expected });
    const scenario = compileScenario(id, readFileSync(file, 'utf8'), report);
    if (scenario === undefined) continue;
    if (scenario.endpoint !== null) {
      const key = routeShapeKey(scenario.endpoint.method, scenario.endpoint.segments);
      const other = routes.get(key);
      if (other !== undefined) report('path', `a method and path no other scenario serves (${other} does)`);
      routes.set(key, id);
    }
    scenarios.set(id, scenario);
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

const parseEndpoint = (raw: Record<string, unknown>, report: Report): ScenarioEndpoint | null | undefined => {
  const { method, path } = raw;
  const endpointKeys = ['method', 'path', 'public', 'status', 'answer'].filter((k) => raw[k] !== undefined);
  if (method === undefined && path === undefined) {
    for (const key of endpointKeys) report(key, 'method and path first (only an endpoint takes it)');
    return endpointKeys.length > 0 ? undefined : null;
  }
  if (typeof method !== 'string' || !(SCENARIO_METHODS as readonly string[]).includes(method)) {
    report('method', `one of ${SCENARIO_METHODS.join(', ')}`);
    return undefined;
  }
  const segments = parseRoutePath(path);
  if (segments === null) {
    report('path', ROUTE_PATH_EXPECTED);
    return undefined;
  }
  if (raw.public !== undefined && typeof raw.public !== 'boolean') report('public', 'true or false');
  const status = raw.status ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 299) {
    report('status', 'a success status from 200 to 299');
    return undefined;
  }
  if (raw.answer !== undefined && typeof raw.answer !== 'string') report('answer', 'the name of a step');
  return {
    method: method as ScenarioMethod,
    path: path as string,
    segments,
    public: raw.public === true,
    status,
    answer: typeof raw.answer === 'string' ? raw.answer : null,
  };
};

/** Which placeholders a step may use: the fixed ones, and for an endpoint the request's values. */
const placeholderProblem = (params: string[], endpoint: ScenarioEndpoint | null): string | null => {
  const pathParams = new Set(endpoint?.segments.flatMap((s) => ('param' in s ? [s.param] : [])) ?? []);
  const allowed = (name: string): boolean => {
    if ((SCENARIO_PARAMS as readonly string[]).includes(name)) return true;
    const request = REQUEST_PARAM.exec(name);
    if (request === null || endpoint === null) return false;
    if (request[1] === 'path') return pathParams.has(request[2]);
    // A GET or DELETE has no body to bind from.
    if (request[1] === 'body') return endpoint.method !== 'GET' && endpoint.method !== 'DELETE';
    return true;
  };
  const unknown = params.filter((p) => !allowed(p));
  if (unknown.length === 0) return null;
  const fixed = `:${SCENARIO_PARAMS.join(', :')}`;
  const request =
    endpoint === null
      ? ''
      : `, :path.<a param of the path>, :query.<name>${endpoint.method === 'GET' || endpoint.method === 'DELETE' ? '' : ', :body.<name>'}`;
  return `placeholders among ${fixed}${request} (got :${unknown.join(', :')})`;
};

const compileStep = (
  step: unknown,
  at: string,
  endpoint: ScenarioEndpoint | null,
  report: Report,
): ScenarioStep | undefined => {
  if (!isRecord(step)) {
    report(at, 'a mapping with name and sql');
    return undefined;
  }
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.includes(key)) report(`${at}.${key}`, `one of ${STEP_KEYS.join(', ')} (unknown key)`);
  }
  const { name, sql, kind, single, required } = step;
  if (typeof name !== 'string' || !STEP_NAME.test(name) || RESERVED.has(name)) {
    report(`${at}.name`, 'a unique snake_case name other than token and user');
    return undefined;
  }
  if (typeof sql !== 'string' || sql.trim() === '') {
    report(`${at}.sql`, 'an SQL statement');
    return undefined;
  }
  if (kind !== undefined && kind !== 'rows' && kind !== 'write') {
    report(`${at}.kind`, 'rows or write');
    return undefined;
  }
  for (const [key, value] of [
    ['single', single],
    ['required', required],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      report(`${at}.${key}`, 'true or false');
      return undefined;
    }
  }
  let compiled: CompiledSql;
  try {
    compiled = compileNamedSql(sql);
  } catch {
    report(`${at}.sql`, 'SQL with :name placeholders (no ?)');
    return undefined;
  }
  const problem = placeholderProblem(compiled.params, endpoint);
  if (problem !== null) {
    report(`${at}.sql`, problem);
    return undefined;
  }
  const stepKind = kind ?? (WRITE_KEYWORD.test(sql) ? 'write' : 'rows');
  if (stepKind === 'write' && (single === true || required === true)) {
    report(
      `${at}.single`,
      'no single or required on a write step (its result is {insert_id, affected_rows})',
    );
    return undefined;
  }
  if (required === true && single !== true) {
    report(`${at}.required`, 'required only with single: true (it means "no row answers 404")');
    return undefined;
  }
  return { name, sql: compiled, kind: stepKind, single: single === true, required: required === true };
};

const compileScenario = (id: string, text: string, report: Report): CompiledScenario | undefined => {
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
    if (!TOP_KEYS.includes(key)) report(key, `one of ${TOP_KEYS.join(', ')} (unknown key)`);
  }
  if (raw.description !== undefined && typeof raw.description !== 'string') report('description', 'a string');
  const endpoint = parseEndpoint(raw, report);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    report('steps', 'a non-empty list of steps');
    return undefined;
  }
  if (endpoint === undefined) return undefined;
  const steps: ScenarioStep[] = [];
  const seen = new Set<string>();
  raw.steps.forEach((item: unknown, index) => {
    const at = `steps[${index}]`;
    const step = compileStep(item, at, endpoint, report);
    if (step === undefined) return;
    if (seen.has(step.name))
      return report(`${at}.name`, 'a unique snake_case name other than token and user');
    seen.add(step.name);
    steps.push(step);
  });
  if (endpoint?.answer != null && !seen.has(endpoint.answer)) {
    report('answer', `the name of a step (${[...seen].join(', ')})`);
    return undefined;
  }
  return { id, description: typeof raw.description === 'string' ? raw.description : '', steps, endpoint };
};
