import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCliDocs } from './cli-docs.js';

const DOCS = join(import.meta.dirname, '../../../docs/cli.md');

describe('docs/cli.md', () => {
  it('is what the commander program renders (run `node scripts/cli-docs.mjs` after changing a command)', () => {
    expect(readFileSync(DOCS, 'utf8')).toBe(renderCliDocs());
  });

  it('lists every command group and leaf command, with the exit codes', () => {
    const docs = renderCliDocs();
    for (const words of [
      'status',
      'restart',
      'reload',
      'stop',
      'schema scan',
      'schema migrate',
      'app create',
      'user set-role',
    ])
      expect(docs).toContain(`## sogoms ${words}\n`);
    expect(docs).toContain('## Exit codes');
  });
});
