import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailApp } from '../mailer-settings.js';
import { TemplateFiles } from './template-files.js';
import { TemplateRenderer } from './template-renderer.js';

describe('mail templates', () => {
  let dir: string;
  const files = new TemplateFiles();
  const renderer = new TemplateRenderer();
  const app = (): MailApp => ({ name: 'shop', dir }) as MailApp;
  const render = (name: string, vars: Record<string, unknown>, lang: string | null = null) =>
    renderer.render(files.read(app(), name, lang), vars);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-mail-templates-'));
    mkdirSync(join(dir, 'emails'));
    const write = (file: string, text: string): void => writeFileSync(join(dir, 'emails', file), text);
    write(
      'welcome.yaml',
      [
        'subject: "Welcome, <%= it.name %>"',
        'text: "Hello <%= it.name %>, your team is <%= it.team.name %>."',
        'html: "<p>Hello <%= it.name %></p>"',
        'layout: layout.html',
      ].join('\n'),
    );
    write('welcome.fr.yaml', 'subject: "Bienvenue, <%= it.name %>"\ntext: "Bonjour <%= it.name %>"\n');
    write('layout.html', '<html><body><%~ it.body %><footer><%= it.name %></footer></body></html>');
    write('escape.yaml', 'subject: s\nhtml: "<%= it.x %>|<%~ it.x %>"\n');
    write('outside.yaml', 'subject: s\nhtml: x\nlayout: ../../secret.html\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders subject, text and html inside its layout', () => {
    expect(render('welcome', { name: 'Ann', team: { name: 'Ops' } })).toEqual({
      subject: 'Welcome, Ann',
      text: 'Hello Ann, your team is Ops.',
      html: '<html><body><p>Hello Ann</p><footer>Ann</footer></body></html>',
    });
  });

  it('escapes HTML by default, not in the subject or the text', () => {
    expect(render('escape', { x: '<b>&"' }).html).toBe('&lt;b&gt;&amp;&quot;|<b>&"');
    expect(render('welcome', { name: '<Ann>', team: { name: 'O&O' } })).toMatchObject({
      subject: 'Welcome, <Ann>',
      text: 'Hello <Ann>, your team is O&O.',
      html: expect.stringContaining('<p>Hello &lt;Ann&gt;</p>'),
    });
  });

  it('picks the language variant, falls back from fr-CA to fr and from de to the default', () => {
    expect(render('welcome', { name: 'Ann' }, 'fr').subject).toBe('Bienvenue, Ann');
    expect(render('welcome', { name: 'Ann' }, 'fr-CA').text).toBe('Bonjour Ann');
    expect(render('welcome', { name: 'Ann', team: { name: 'Ops' } }, 'de').subject).toBe('Welcome, Ann');
  });

  it('refuses a missing variable, also a nested one, with VALIDATION_FAILED', () => {
    const missing = (vars: Record<string, unknown>): unknown => {
      try {
        render('welcome', vars);
      } catch (error) {
        return error;
      }
      return null;
    };
    expect(missing({ team: { name: 'Ops' } })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'vars.name' },
    });
    expect(missing({ name: 'Ann', team: {} })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'vars.team.name' },
    });
  });

  it('answers NOT_FOUND for an unknown template and refuses a layout outside the emails folder', () => {
    expect(() => files.read(app(), 'nope', null)).toThrow(SogomsError);
    expect(() => files.read(app(), 'nope', null)).toThrow(/No template 'nope'/);
    expect(() => files.read(app(), '../welcome', null)).toThrow(/Bad template name/);
    expect(() => files.read(app(), 'outside', null)).toThrow(/inside the emails folder/);
  });
});
