import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config';
import {
  adoptSchemaChunks,
  aField,
  anIdField,
  aSchema,
  aTable,
  loadSchemaFileInSlices,
  writeSchemaYaml,
} from '@sogoms/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SchemaPreload as SchemaPreloadClass } from './schema-preload.js';

// The worker thread runs the built file (dist/…/schema-preload.worker.js): `npm test` builds first.
const { SchemaPreload } = (await import(
  new URL('../../../../dist/apps/gateway/src/startup/schema-preload.js', import.meta.url).href
)) as { SchemaPreload: typeof SchemaPreloadClass };

const schema = aSchema(
  ['films', 'actors', 'stores'].map((name) =>
    aTable(name, { fields: [anIdField(), aField('name', { type: 'string', length: 40 })] }),
  ),
);

describe('SchemaPreload (a worker thread parses the schema files while the gateway loads)', () => {
  let fx: ConfigFixture;
  beforeEach(() => {
    fx = createConfigFixture();
    fx.global({ run_dir: '../run' });
    fx.app('shop');
    fx.write('apps/shop/schema.yaml', writeSchemaYaml(schema));
  });
  afterEach(() => fx.remove());

  it('hands over every table block, and the main thread reading takes them instead of parsing', async () => {
    const files = await SchemaPreload.start(['--config', fx.root]).files();
    expect(files.map((f) => [f.file, f.chunks.length])).toEqual([
      [join('config', 'apps', 'shop', 'schema.yaml'), 3],
    ]);

    // Proof that the reading uses the handed-over blocks: one of them altered before adoption.
    const [file] = files;
    const films = file.chunks.find(([text]) => text.startsWith('  films:'))!;
    (films[1] as { films: { comment?: string } }).films.comment = 'from the preload';
    expect(adoptSchemaChunks(file)).toBe(true);
    const read = await loadSchemaFileInSlices(join(fx.root, 'apps', 'shop'), join(fx.root, '..'));
    expect(read?.tables.find((t) => t.name === 'films')?.comment).toBe('from the preload');
    expect(read?.tables.map((t) => t.name).sort()).toEqual(['actors', 'films', 'stores']);
  });

  it('writes the chunk cache for the next start', async () => {
    await SchemaPreload.start(['--config', fx.root]).files();
    const cache = join(fx.root, '..', 'run', 'cache', 'shop.schema-chunks.json');
    const deadline = Date.now() + 10_000;
    while (!existsSync(cache) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(cache)).toBe(true);
  });

  it('hands over nothing (the main thread then reports) for a config that does not load or a schema out of layout', async () => {
    fx.write('apps/shop/schema.yaml', 'tables: { films: { fields: { id: { type: int } } } }\n');
    expect(await SchemaPreload.start(['--config', fx.root]).files()).toEqual([]);
    fx.write('apps/shop/app.yaml', 'name: [not, a, name]\n');
    expect(await SchemaPreload.start(['--config', fx.root]).files()).toEqual([]);
    expect(await SchemaPreload.start(['--config', join(fx.root, 'missing')]).files()).toEqual([]);
  });
});
