import { Injectable } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { endpointBindings } from '../scenarios/scenario-bindings.js';
import { ScenarioRunner } from '../scenarios/scenario-runner.js';
import type { ModuleRequest } from './crud-hooks.js';
import type { CustomRouteCall } from './custom-route-call.decorator.js';

/** The parts of an HTTP request a custom route reads. */
export interface CustomRouteInput {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Serves a matched custom route: a scenario endpoint (one transaction) or a module's handler. */
@Injectable()
export class CustomRouteService {
  constructor(private readonly scenarios: ScenarioRunner) {}

  async handle(
    app: AppRuntime,
    { match, input }: CustomRouteCall,
    caller: TokenClaims | null,
  ): Promise<unknown> {
    const { route, params } = match;
    if (caller === null && !route.public) throw new SogomsError('UNAUTHORIZED', 'Missing bearer token');
    if (route.kind === 'scenario') {
      const bindings = endpointBindings(route.scenario, {
        app: app.config.name,
        params,
        query: input.query,
        body: input.body,
        caller,
      });
      const results = await this.scenarios.run(app.config.name, route.scenario, bindings);
      const answer = route.scenario.endpoint?.answer ?? null;
      return answer === null ? results : results[answer];
    }
    const request: ModuleRequest = {
      method: input.method,
      path: input.path,
      params,
      query: input.query,
      body: input.body,
      headers: input.headers,
      ...(caller === null ? {} : { user: { id: caller.sub, role: caller.role } }),
    };
    return (await route.handler(request)) ?? null;
  }
}
