import { Injectable } from '@nestjs/common';
import type { LoadedConfig } from '@sogoms/config';
import type { MailRule, RuleAction } from './mail-rule.js';
import { loadMailRules } from './mail-rules.loader.js';

/** Every app's mail rules; a reload swaps them whole, and only when every file is valid. */
@Injectable()
export class MailRules {
  private byApp = new Map<string, MailRule[]>();

  /** Throws the ConfigError of every bad mailrules.yaml; the rules in use then stay. */
  replace(config: LoadedConfig): void {
    const next = new Map<string, MailRule[]>();
    const problems: unknown[] = [];
    for (const app of config.apps) {
      try {
        next.set(app.name, loadMailRules(app, config.global.root));
      } catch (error) {
        problems.push(error);
      }
    }
    if (problems.length > 0) throw problems[0];
    this.byApp = next;
  }

  of(app: string): readonly MailRule[] {
    return this.byApp.get(app) ?? [];
  }

  /** The webhook action of a rule as configured now (its secret signs the call), or null. */
  webhookOf(app: string, rule: string): Extract<RuleAction, { do: 'webhook' }> | null {
    const found = this.of(app).find((r) => r.name === rule);
    const action = found?.actions.find((a) => a.do === 'webhook');
    return action?.do === 'webhook' ? action : null;
  }
}
