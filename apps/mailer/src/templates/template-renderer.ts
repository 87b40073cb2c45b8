import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { RenderedMail } from '@sogoms/ipc';
import { Eta } from 'eta';
import type { MailTemplate } from './mail-template.js';
import { strictVars } from './strict-vars.js';

/**
 * Renders templates with Eta: HTML escaped by default (`<%= %>`; `<%~ %>` for trusted HTML),
 * subject and text never escaped (they are not HTML). A missing variable is an error.
 */
@Injectable()
export class TemplateRenderer {
  private readonly html = new Eta({ autoEscape: true, autoTrim: false });
  private readonly plain = new Eta({ autoEscape: false, autoTrim: false });

  render(template: MailTemplate, vars: Record<string, unknown>): RenderedMail {
    const data = strictVars(vars, template.name);
    const html = template.html === null ? null : this.run(this.html, template, template.html, data);
    return {
      subject: this.run(this.plain, template, template.subject, data).trim(),
      text: template.text === null ? null : this.run(this.plain, template, template.text, data),
      html:
        html === null || template.layout === null
          ? html
          : this.run(
              this.html,
              template,
              template.layout,
              strictVars({ ...vars, body: html }, template.name),
            ),
    };
  }

  private run(eta: Eta, template: MailTemplate, source: string, data: object): string {
    try {
      return eta.renderString(source, data);
    } catch (error) {
      if (error instanceof SogomsError) throw error;
      // Eta wraps errors thrown while rendering: find ours in the cause chain.
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof SogomsError) throw cause;
      throw new SogomsError(
        'BAD_REQUEST',
        `Template '${template.name}' does not render: ${(error as Error).message.split('\n')[0]}`,
        {
          field: 'template',
        },
      );
    }
  }
}
