import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { InsertResult, Row, SqlValue } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import { bindNamedParams, type CompiledScenario } from '@sogoms/schema';

export type ScenarioBindings = Readonly<Record<string, SqlValue>>;

/** Runs every step of a scenario in one db transaction: one IPC round trip, one consistent snapshot. */
@Injectable()
export class ScenarioRunner {
  constructor(private readonly db: DbClient) {}

  /**
   * Answers step name → result: rows (or the first row or null with `single`), or
   * `{insert_id, affected_rows}` for a write. A `required` step without a row is a 404 (the
   * transaction has committed by then: put `required` reads before the writes they guard, and
   * guard writes in their own WHERE).
   */
  async run(
    app: string,
    scenario: CompiledScenario,
    bindings: ScenarioBindings,
  ): Promise<Record<string, unknown>> {
    const statements = scenario.steps.map((step) => ({
      sql: step.sql.sql,
      params: bindNamedParams(step.sql, bindings),
      kind: step.kind,
    }));
    const results = await this.db.transaction(app, statements);
    const answer: Record<string, unknown> = {};
    scenario.steps.forEach((step, index) => {
      if (step.kind === 'write') {
        const { insert_id, affected_rows } = results[index] as InsertResult;
        answer[step.name] = { insert_id, affected_rows };
        return;
      }
      const rows = results[index] as Row[];
      if (!step.single) {
        answer[step.name] = rows;
        return;
      }
      if (step.required && rows.length === 0) throw new SogomsError('NOT_FOUND', 'Not found');
      answer[step.name] = rows[0] ?? null;
    });
    return answer;
  }
}
