import type { CompiledSql } from './named-sql.js';

/** One step of a scenario: a read whose rows land under `name` in the answer. */
export interface ScenarioStep {
  name: string;
  sql: CompiledSql;
  /** `true`: the first row or null instead of an array. */
  single: boolean;
}

/** A scenario compiled once per config version: its SQL is parsed at load, never per request. */
export interface CompiledScenario {
  /** Path below the app's scenarios folder without extension, e.g. `auth/login`. */
  id: string;
  description: string;
  steps: ScenarioStep[];
}
