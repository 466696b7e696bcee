import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { importSpecifiers, sourceFiles } from './source-files.js';

/**
 * The layers of README's Architecture section, and what each may import. Data flows one way:
 * native → tensor → model → train / extract → cli, server, web; data, eval and text depend on nothing
 * neural. Every layer may import src/errors.ts, which imports nothing (all would depend on what it
 * imported); only src/index.ts (the package) gathers them all.
 */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
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

/**
 * The npm packages each layer may import (review 31c finding 4), and the Node built-ins that load or run
 * code where imports do not show it: `node:module` (createRequire), worker threads, child processes, vm.
 * Other built-ins (fs, path, …) are free.
 */
const PACKAGES: Record<string, readonly string[]> = {
  errors: [],
  // createRequire loads the compiled addon and scripts/libtorch-paths.cjs.
  native: ['node:module'],
  tensor: [],
  text: [],
  data: ['pure-rand', 'zod'],
  eval: ['pure-rand'],
  // createRequire finds the GloVe package; package names checked as npm checks them.
  model: ['node:module', 'validate-npm-package-name', 'zod'],
  train: ['cli-progress', 'pure-rand', 'zod'],
  // Worker threads run the model (pool/); a model packaged for npm.
  extract: ['node:worker_threads', 'semver', 'validate-npm-package-license', 'validate-npm-package-name'],
  web: [],
  server: ['fastify', '@fastify/bearer-auth', '@fastify/compress', '@fastify/rate-limit', '@fastify/swagger'],
  // `serve` names fastify's types; `package` compares versions.
  cli: ['commander', 'fastify', 'semver'],
};
const LOADERS = new Set(['node:module', 'node:worker_threads', 'node:child_process', 'node:vm']);

const src = join(import.meta.dirname, '..', 'src');

/** `src/<layer>/…` → layer; src/errors.ts → 'errors'; src/index.ts and anything outside src → undefined. */
function layerOf(file: string, root: string): string | undefined {
  const parts = relative(root, file).split(/[\\/]/);
  if (parts[0] === '..') return undefined;
  if (parts.length === 1) return /^errors\.[jt]s$/.test(parts[0]) ? 'errors' : undefined;
  return parts[0];
}

/** The package a bare specifier names (`@scope/name`, `name`, `node:x`), undefined for a free built-in. */
function packageOf(spec: string): string | undefined {
  if (isBuiltin(spec)) {
    const name = spec.startsWith('node:') ? spec : `node:${spec}`;
    return LOADERS.has(name.split('/')[0]) ? name.split('/')[0] : undefined;
  }
  return spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
}

/** The imports of `files` (path → text, under `root`) that break the layers, one line each. */
function layerBreaks(files: ReadonlyMap<string, string>, root: string): string[] {
  const wrong: string[] = [];
  for (const [file, text] of files) {
    const from = layerOf(file, root);
    if (from === undefined) continue;
    const name = relative(root, file);
    for (const spec of importSpecifiers(text)) {
      if (!spec.startsWith('.')) {
        const pkg = packageOf(spec);
        if (pkg !== undefined && !PACKAGES[from].includes(pkg)) wrong.push(`${name} (${from}) imports the package ${spec}`);
        continue;
      }
      const to = layerOf(resolve(dirname(file), spec), root);
      if (to === undefined) wrong.push(`${name} imports ${spec} (only errors.ts is shared)`);
      else if (to !== from && to !== 'errors' && !ALLOWED[from].includes(to)) wrong.push(`${name} (${from}) imports ${spec} (${to})`);
    }
  }
  return wrong;
}

test('every import between layers, and of a package, follows the architecture', () => {
  const files = sourceFiles(src);
  assert.ok(files.length > 100, `only ${files.length} source files found under ${src}`);
  const layers = new Set(files.map((f) => layerOf(f, src)).filter((l) => l !== undefined));
  assert.deepEqual([...layers].sort(), Object.keys(ALLOWED).sort(), 'a layer folder is missing from ALLOWED, or gone');
  assert.deepEqual(Object.keys(PACKAGES).sort(), Object.keys(ALLOWED).sort());
  assert.deepEqual(layerBreaks(new Map(files.map((f) => [f, readFileSync(f, 'utf8')])), src), []);
});

test('the check finds the breaks review 31c planted, and lets a layer’s own imports through', () => {
  const root = '/probe/src';
  const planted = new Map([
    // errors.ts importing a layer: every layer would then depend on it.
    [`${root}/errors.ts`, "import type { Tensor } from './tensor/tensor.js';\nexport class UserError extends Error {}\n"],
    // data ("nothing neural") importing fastify, and loading the native addon by createRequire.
    [`${root}/data/lines.ts`, [
      "import { createRequire } from 'node:module';",
      "import type { FastifyInstance } from 'fastify';",
      "import { readFileSync } from 'node:fs';",
      "import { UserError } from '../errors.js';",
      "import { tokenize } from '../text/tokenize.js';",
      "// import { x } from '../tensor/index.js' (a comment, not an import)",
      "const native = createRequire(import.meta.url)('../native/loader.js');",
      "const lazy = await import('../model/joint.js');",
    ].join('\n')],
    [`${root}/cli/main.ts`, "import { Command } from 'commander';\nimport { readFile } from 'fs/promises';\nimport { trainNN } from '../train/index.js';\n"],
  ]);
  assert.deepEqual(layerBreaks(planted, root), [
    'errors.ts (errors) imports ./tensor/tensor.js (tensor)',
    'data/lines.ts (data) imports the package node:module',
    'data/lines.ts (data) imports the package fastify',
    'data/lines.ts (data) imports ../model/joint.js (model)',
  ]);
});
