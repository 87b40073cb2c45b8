import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { writeSchemaYaml, type TableDef } from '@sogoms/schema';
import { aField, anIdField, aSchema, aTable } from '@sogoms/schema/testing';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayState } from './gateway-state.js';

const tables = (count: number): TableDef[] =>
  Array.from({ length: count }, (_, i) =>
    aTable(`t${String(i + 1).padStart(4, '0')}`, {
      fields: [anIdField(), aField('name', { type: 'string', length: 100 })],
    }),
  );

const tableCount = (state: GatewayState): number | undefined =>
  state.current.runtimes.get('shop')?.crud.tables.size;

describe('GatewayState reload', () => {
  let fx: ConfigFixture;
  beforeEach(() => {
    fx = createConfigFixture();
    fx.global({});
    fx.app('shop');
  });
  afterEach(() => fx.remove());

  it('keeps serving the live snapshot while a large schema is rebuilt, then swaps it whole', async () => {
    fx.write('apps/shop/schema.yaml', writeSchemaYaml(aSchema(tables(600))));
    const state = await GatewayState.create(fx.root);
    expect(tableCount(state)).toBe(600);
    // Every table is new text (another field): the whole file is parsed and compiled again.
    const bigger = tables(601).map((t) => ({
      ...t,
      fields: [...t.fields, aField('note', { type: 'text' })],
    }));
    fx.write('apps/shop/schema.yaml', writeSchemaYaml(aSchema(bigger)));

    // A loop standing in for requests: each turn of the event loop sees one whole snapshot.
    const seen: { version: number; tables: number | undefined }[] = [];
    let reloading = true;
    const loop = (): void => {
      seen.push({ version: state.current.version, tables: tableCount(state) });
      if (reloading) setImmediate(loop);
    };
    setImmediate(loop);
    const result = await state.reload();
    reloading = false;

    expect(result).toEqual({ ok: true, version: 2, apps: ['shop'] });
    expect(tableCount(state)).toBe(601);
    expect(state.current.runtimes.get('shop')!.crud.tables.get('t0601')!.fields.has('note')).toBe(true);
    // The loop ran during the rebuild (it was not one blocking stretch) and only saw version 1.
    const during = seen.filter((s) => s.version === 1);
    expect(during.length).toBeGreaterThan(1);
    expect(during.every((s) => s.tables === 600)).toBe(true);
  });

  it('a schema.yaml that fails to parse keeps the live snapshot and reports file and line', async () => {
    fx.write('apps/shop/schema.yaml', writeSchemaYaml(aSchema(tables(3))));
    const state = await GatewayState.create(fx.root);
    fx.write(
      'apps/shop/schema.yaml',
      'tables:\n  t0001:\n    fields:\n      id: { type: int, primary: true }\n      name: { type: strin }\n',
    );

    const failed = await state.reload();

    expect(failed.ok).toBe(false);
    expect(failed.ok === false && failed.error).toMatch(/config\/apps\/shop\/schema\.yaml:5/);
    expect(state.current.version).toBe(1);
    expect(tableCount(state)).toBe(3);
    fx.write('apps/shop/schema.yaml', writeSchemaYaml(aSchema(tables(4))));
    expect(await state.reload()).toEqual({ ok: true, version: 2, apps: ['shop'] });
    expect(tableCount(state)).toBe(4);
  });

  it('with a run_dir, keeps the parsed schema blocks in {run_dir}/cache for the next start', async () => {
    fx.write('apps/shop/schema.yaml', writeSchemaYaml(aSchema(tables(3))));
    const runDir = join(fx.root, 'run');
    const cache = join(runDir, 'cache', 'shop.schema-chunks.json');
    const state = await GatewayState.create(fx.root, undefined, { runDir });
    expect(tableCount(state)).toBe(3);
    const deadline = Date.now() + 10_000;
    while (!existsSync(cache) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const written = JSON.parse(readFileSync(cache, 'utf8')) as { file: string; chunks: unknown[] };
    expect(written.file).toBe(join(basename(fx.root), 'apps', 'shop', 'schema.yaml'));
    expect(written.chunks).toHaveLength(3);
  });
});
