import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { LineOf, SchemaPath } from './schema-finding.js';

/**
 * The 1-based line of the deepest part of `path` present in the document: the line of the key
 * (not of its value, which in block style starts on the next line), or of the list item.
 */
export const yamlLineLocator =
  (doc: Document, lines: LineCounter): LineOf =>
  (path: SchemaPath) => {
    let node: unknown = doc.contents;
    let line: number | undefined = lineOfNode(node, lines);
    for (const part of path) {
      if (isMap(node) && typeof part === 'string') {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === part);
        if (pair === undefined) break;
        line = lineOfNode(pair.key, lines) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item: unknown = node.items[part];
        if (item === undefined) break;
        line = lineOfNode(item, lines) ?? line;
        node = item;
      } else break;
    }
    return line;
  };

const lineOfNode = (node: unknown, lines: LineCounter): number | undefined => {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range == null ? undefined : lines.linePos(range[0]).line;
};
