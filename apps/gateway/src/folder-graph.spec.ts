import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const SIBLING_IMPORT = /from '\.\.\/([a-z-]+)\//g;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });

/** Folder → the sibling folders its production files import (type imports included). */
const folderGraph = (): Map<string, Set<string>> => {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const parts = relative(SRC, file).split('/');
    if (parts.length < 2) continue;
    const folder = parts[0] ?? '';
    const edges = graph.get(folder) ?? new Set<string>();
    for (const match of readFileSync(file, 'utf8').matchAll(SIBLING_IMPORT)) {
      if (match[1] !== undefined && match[1] !== folder) edges.add(match[1]);
    }
    graph.set(folder, edges);
  }
  return graph;
};

const firstCycle = (graph: Map<string, Set<string>>): string[] | null => {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | null => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return null;
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle !== null) return cycle;
    }
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle !== null) return cycle;
  }
  return null;
};

describe('gateway folders', () => {
  it('import each other without a cycle, so each can be read (and tested) from the bottom up', () => {
    expect(firstCycle(folderGraph())).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['crud', new Set(['extensions'])],
      ['extensions', new Set(['runtime', 'crud'])],
      ['runtime', new Set<string>()],
    ]);
    expect(firstCycle(graph)).toEqual(['crud', 'extensions', 'crud']);
  });

  it('reads the real folders', () => {
    const graph = folderGraph();
    expect(graph.get('crud')?.has('runtime')).toBe(true);
    expect(graph.has('snapshot')).toBe(true);
  });
});
