import { Injectable } from '@nestjs/common';
import type { Row, SqlValue } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import { bindNamedParams, type CompiledScenario } from '@sogoms/schema';

export type ScenarioBindings = Readonly<Record<string, SqlValue>>;

/** Runs every step of a scenario in one db transaction: one IPC round trip, one consistent snapshot. */
@Injectable()
export class ScenarioRunner {
  constructor(private readonly db: DbClient) {}

  async run(
    app: string,
    scenario: CompiledScenario,
    bindings: ScenarioBindings,
  ): Promise<Record<string, unknown>> {
    const statements = scenario.steps.map((step) => ({
      sql: step.sql.sql,
      params: bindNamedParams(step.sql, bindings),
      kind: 'rows' as const,
    }));
    const results = await this.db.transaction(app, statements);
    const answer: Record<string, unknown> = {};
    scenario.steps.forEach((step, index) => {
      const rows = results[index] as Row[];
      answer[step.name] = step.single ? (rows[0] ?? null) : rows;
    });
    return answer;
  }
}
