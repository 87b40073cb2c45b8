import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aField, anIdField, aSchema, aTable } from '../testing/schema.factory.js';
import { restoreSchemaChunks, saveSchemaChunks, schemaChunkCachePath } from './schema-chunk-cache.js';
import { loadSchemaFileInSlices } from './schema-file.loader.js';
import { forgetSchemaChunks, readSchemaDataByTable } from './schema-yaml.chunks.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';

const FILE = 'config/apps/shop/schema.yaml';

const schemaText = writeSchemaYaml(
  aSchema([
    aTable('films', { fields: [anIdField(), aField('title', { type: 'string', length: 90 })] }),
    aTable('actors', { fields: [anIdField(), aField('name', { type: 'string', length: 40 })] }),
  ]),
);

type CacheJson = { format: number; yaml: string; file: string; chunks: [string, unknown][] };
const readCache = (path: string): CacheJson => JSON.parse(readFileSync(path, 'utf8')) as CacheJson;
const tablesOf = (data: Record<string, unknown> | undefined) =>
  data?.tables as Record<string, Record<string, unknown>>;

describe('the schema chunk cache', () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    forgetSchemaChunks();
    dir = mkdtempSync(join(tmpdir(), 'sogoms-chunk-cache-'));
    cache = schemaChunkCachePath(join(dir, 'run'), 'shop');
  });
  afterEach(() => {
    forgetSchemaChunks();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the text once and writes its blocks, then forgets them as a new process would have. */
  const primeCache = async (text = schemaText): Promise<number> => {
    readSchemaDataByTable(text, FILE);
    const written = await saveSchemaChunks(FILE, cache);
    forgetSchemaChunks();
    return written;
  };

  it('a new process reads the blocks from the cache instead of parsing them', async () => {
    expect(await primeCache()).toBe(2);
    expect(cache).toBe(join(dir, 'run', 'cache', 'shop.schema-chunks.json'));
    // Proof that the reading takes the cached value: tamper with one block's parsed data.
    const json = readCache(cache);
    const films = json.chunks.find(([text]) => text.startsWith('  films:'))!;
    (films[1] as { films: { comment?: string } }).films.comment = 'from the cache';
    writeFileSync(cache, JSON.stringify(json));

    expect(restoreSchemaChunks(FILE, cache)).toBe(2);
    const data = readSchemaDataByTable(schemaText, FILE);
    expect(tablesOf(data).films.comment).toBe('from the cache');
    expect(tablesOf(data).actors).toEqual(tablesOf(parse(schemaText) as Record<string, unknown>).actors);
  });

  it('an untouched cache gives exactly what parsing gives, and a changed table is parsed anew', async () => {
    const parsed = parseSchemaYaml(schemaText, FILE);
    await primeCache();
    restoreSchemaChunks(FILE, cache);
    expect(parseSchemaYaml(schemaText, FILE)).toEqual(parsed);

    forgetSchemaChunks();
    restoreSchemaChunks(FILE, cache);
    const edited = schemaText.replace(/^ {2}actors:\n/m, '  actors:\n    comment: edited\n');
    const data = readSchemaDataByTable(edited, FILE);
    expect(data).toEqual(parse(edited) as unknown);
    expect(tablesOf(data).actors.comment).toBe('edited');
  });

  it('is ignored when missing, unreadable JSON, for another file, another format or another yaml version', async () => {
    expect(restoreSchemaChunks(FILE, cache)).toBe(0);
    await primeCache();
    const good = readCache(cache);
    const variants: Record<string, string> = {
      'not JSON': '{"format":1,',
      'another file': JSON.stringify({ ...good, file: 'config/apps/other/schema.yaml' }),
      'another format': JSON.stringify({ ...good, format: 99 }),
      'another yaml version': JSON.stringify({ ...good, yaml: '0.0.1' }),
      'entries of the wrong shape': JSON.stringify({ ...good, chunks: [['  films:', 1, 2]] }),
    };
    for (const [what, text] of Object.entries(variants)) {
      forgetSchemaChunks();
      writeFileSync(cache, text);
      expect({ what, restored: restoreSchemaChunks(FILE, cache) }).toEqual({ what, restored: 0 });
      expect({ what, data: readSchemaDataByTable(schemaText, FILE) }).toEqual({
        what,
        data: parse(schemaText) as unknown,
      });
    }
  });

  it('does not replace what this process has read itself', async () => {
    await primeCache();
    readSchemaDataByTable(schemaText, FILE);
    expect(restoreSchemaChunks(FILE, cache)).toBe(0);
  });

  it('leaves out blocks whose values JSON would change (.inf, .nan, -0)', async () => {
    const text = `${schemaText}  odd:\n    fields:\n      id: { type: int, primary: true, default: .inf }\n`;
    expect(parse(text)).toMatchObject({ tables: { odd: { fields: { id: { default: Infinity } } } } });
    expect(await primeCache(text)).toBe(2);
    expect(restoreSchemaChunks(FILE, cache)).toBe(2);
    expect(readSchemaDataByTable(text, FILE)).toEqual(parse(text) as unknown);
  });

  it('writes only when the blocks changed since the cache was restored or written', async () => {
    await primeCache();
    restoreSchemaChunks(FILE, cache);
    readSchemaDataByTable(schemaText, FILE);
    expect(await saveSchemaChunks(FILE, cache)).toBe(0);
    readSchemaDataByTable(schemaText.replace('length: 90', 'length: 91'), FILE);
    expect(await saveSchemaChunks(FILE, cache)).toBe(2);
    expect(readCache(cache).chunks.some(([text]) => text.includes('length: 91'))).toBe(true);
  });

  it('loadSchemaFileInSlices with a chunk cache writes it after the reading and reads it at the next start', async () => {
    const appDir = join(dir, 'config', 'apps', 'shop');
    mkdirSync(appDir, { recursive: true });
    writeFileSync(join(appDir, 'schema.yaml'), schemaText);
    const first = await loadSchemaFileInSlices(appDir, dir, { chunkCache: cache });
    const deadline = Date.now() + 10_000;
    while (!existsSync(cache) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readCache(cache).file).toBe(FILE);

    forgetSchemaChunks();
    const json = readCache(cache);
    const actors = json.chunks.find(([text]) => text.startsWith('  actors:'))!;
    (actors[1] as { actors: { comment?: string } }).actors.comment = 'cached';
    writeFileSync(cache, JSON.stringify(json));
    const second = await loadSchemaFileInSlices(appDir, dir, { chunkCache: cache });
    expect(second?.tables.find((t) => t.name === 'actors')?.comment).toBe('cached');
    expect({ ...second, tables: second?.tables.filter((t) => t.name !== 'actors') }).toEqual({
      ...first,
      tables: first?.tables.filter((t) => t.name !== 'actors'),
    });
  });
});
