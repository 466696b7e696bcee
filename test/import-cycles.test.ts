import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative, sep } from 'node:path';
import { importedFiles, sourceFiles } from './source-files.js';

/**
 * No import cycle among src's files, type-only imports included (review 15b finding 8: src/eval/errors.ts
 * and the two files that classify its categories imported each other). A cycle means two files are one
 * module in two parts; a leaf module holds what both need.
 */
const src = join(import.meta.dirname, '..', 'src');

/** The strongly connected components of more than one file, or of one file importing itself (Tarjan). */
function cycles(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) connect(v);
  return found;
}

test('cycles finds a type-only cycle of three files and leaves a chain alone', () => {
  const edges = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']], ['e', ['e']]]);
  assert.deepEqual(cycles(edges), [['a', 'b', 'c'], ['e']]);
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
});

test('no import cycle among the src files, type-only imports included', () => {
  const files = sourceFiles(src);
  assert.ok(files.length > 200, `only ${files.length} source files found under ${src}`);
  const edges = new Map(files.map((f) => [f, importedFiles(f)]));
  const found = cycles(edges).map((c) => c.map((f) => relative(src, f).split(sep).join('/')).join(' ⇄ '));
  assert.deepEqual(found, []);
});
