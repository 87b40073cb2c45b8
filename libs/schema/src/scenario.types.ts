import type { CompiledSql } from './named-sql.js';

/** One step of a scenario: a statement whose result lands under `name` in the answer. */
export interface ScenarioStep {
  name: string;
  sql: CompiledSql;
  /**
   * `rows`: the rows of a SELECT; `write`: `{insert_id, affected_rows}` of an INSERT, UPDATE or
   * DELETE. Default from the statement's first keyword.
   */
  kind: 'rows' | 'write';
  /** `true`: the first row or null instead of an array (rows only). */
  single: boolean;
  /** `true` with `single`: no row answers 404 NOT_FOUND (checked after the transaction). */
  required: boolean;
}

export const SCENARIO_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ScenarioMethod = (typeof SCENARIO_METHODS)[number];

/** One segment of a route path: a literal, or a `:name` parameter. */
export type RouteSegment = { literal: string } | { param: string };

/** A scenario served as an endpoint: `method` + `path` (below the app's base path). */
export interface ScenarioEndpoint {
  method: ScenarioMethod;
  /** As written in the file, e.g. `/projects/:id/summary`. */
  path: string;
  segments: RouteSegment[];
  /** Callable without a token (default false). Token placeholders are null without one. */
  public: boolean;
  /** HTTP status of a success (default 200). */
  status: number;
  /** A step whose result is the whole `data`; null: `data` maps every step name to its result. */
  answer: string | null;
}

/** A scenario compiled once per config version: its SQL is parsed at load, never per request. */
export interface CompiledScenario {
  /** Path below the app's scenarios folder without extension, e.g. `auth/login`. */
  id: string;
  description: string;
  steps: ScenarioStep[];
  /** Null for a scenario that is no endpoint (the enriched login). */
  endpoint: ScenarioEndpoint | null;
}
