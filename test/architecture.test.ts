import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layers of README's Architecture section, and what each may import. Data flows one way:
 * native → tensor → model → train / extract → cli, server, web; data, eval and text depend on nothing
 * neural. Every layer may import src/errors.ts; only src/index.ts (the package) gathers them all.
 */
const ALLOWED: Record<string, readonly string[]> = {
  native: [],
  tensor: ['native'],
  text: [],
  data: ['text'],
  eval: ['data'],
  model: ['tensor', 'data', 'text'],
  train: ['model', 'tensor', 'data', 'eval', 'text'],
  extract: ['model', 'tensor', 'data', 'text'],
  // The view draws extraction results (extract's result types) and annotated corpora, alone or marked
  // against gold by the evaluator's criteria (data, eval).
  web: ['extract', 'data', 'eval'],
  server: ['extract', 'web', 'data', 'eval', 'text'],
  cli: ['train', 'extract', 'server', 'web', 'model', 'data', 'eval', 'text'],
};

const src = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `src/<layer>/…` → layer; src/errors.ts and src/index.ts → undefined. */
const layerOf = (file: string): string | undefined => {
  const parts = relative(src, file).split(/[\\/]/);
  return parts.length > 1 ? parts[0] : undefined;
};

/** Relative module specifiers of static imports, re-exports and dynamic `import()`s. */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom|\bimport\s*\(?)\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
}

test('importsOf finds static, type-only, re-exported and dynamic imports', () => {
  const text = [
    "import { a } from '../tensor/index.js';",
    "import type { B } from './b.js';",
    "export * from '../data/corpus.js';",
    "const { w } = await import('../../extract/outputs.js');",
    "import 'node:fs'; import x from 'commander';",
  ].join('\n');
  assert.deepEqual(importsOf(text), ['../tensor/index.js', './b.js', '../data/corpus.js', '../../extract/outputs.js']);
});

test('every import between layers follows the architecture', () => {
  const files = sourceFiles(src);
  assert.ok(files.length > 100, `only ${files.length} source files found under ${src}`);
  const layers = new Set(files.map(layerOf).filter((l) => l !== undefined));
  assert.deepEqual([...layers].sort(), Object.keys(ALLOWED).sort(), 'a layer folder is missing from ALLOWED, or gone');
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (from === undefined) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      const to = layerOf(target);
      if (to === undefined) {
        if (relative(src, target) !== 'errors.js') wrong.push(`${relative(src, file)} imports ${spec} (only errors.ts is shared)`);
      } else if (to !== from && !ALLOWED[from].includes(to)) wrong.push(`${relative(src, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});
