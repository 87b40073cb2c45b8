import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import { parse } from 'yaml';
import type { MailApp } from '../mailer-settings.js';
import type { MailTemplate } from './mail-template.js';

const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const LANG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

const readIfExists = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** `fr-CA` → [`fr-CA`, `fr`]: the most specific variant first, then the default file. */
const langCandidates = (lang: string | null): string[] => {
  if (lang === null) return [];
  const parts = lang.split('-');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('-'));
};

/** Reads templates from `config/apps/{app}/emails/` on each send: an edit shows without a reload. */
@Injectable()
export class TemplateFiles {
  read(app: MailApp, name: string, lang: string | null): MailTemplate {
    if (!TEMPLATE_NAME.test(name))
      throw new SogomsError('VALIDATION_FAILED', `Bad template name '${name}'`, { field: 'template' });
    if (lang !== null && !LANG.test(lang))
      throw new SogomsError('VALIDATION_FAILED', `Bad language '${lang}'`, { field: 'lang' });
    const folder = join(app.dir, 'emails');
    for (const variant of [...langCandidates(lang), null]) {
      const source = readIfExists(
        join(folder, variant === null ? `${name}.yaml` : `${name}.${variant}.yaml`),
      );
      if (source !== null) return this.parse(folder, name, variant, source);
    }
    throw new SogomsError('NOT_FOUND', `No template '${name}' in ${app.name}/emails`, { field: 'template' });
  }

  private parse(folder: string, name: string, lang: string | null, source: string): MailTemplate {
    const doc: unknown = parse(source);
    const bad = (why: string): SogomsError =>
      new SogomsError('BAD_REQUEST', `Template '${name}' is invalid: ${why}`, { field: 'template' });
    if (!isRecord(doc)) throw bad('not a mapping');
    const textField = (key: string): string | null => {
      const value = doc[key];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string') throw bad(`${key} must be a string`);
      return value;
    };
    const subject = textField('subject');
    if (subject === null) throw bad('subject is required');
    const text = textField('text');
    const html = textField('html');
    if (text === null && html === null) throw bad('text or html is required');
    const layoutFile = textField('layout');
    let layout: string | null = null;
    if (layoutFile !== null) {
      const file = resolve(folder, layoutFile);
      // A layout is one of the app's own files.
      if (!file.startsWith(folder + sep)) throw bad('layout must be inside the emails folder');
      layout = readIfExists(file);
      if (layout === null) throw bad(`layout ${layoutFile} does not exist`);
    }
    return { name, lang, subject, text, html, layout };
  }
}
