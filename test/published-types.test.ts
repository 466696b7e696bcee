/**
 * The published `.d.ts` files are read by the consumer's TypeScript under the consumer's settings. A
 * default import of a Node built-in (`import http from 'node:http'`) that reaches them fails under
 * `module: commonjs` without `esModuleInterop` (TS1192 "has no default export"), so src imports Node's
 * modules by name only (review 15d finding 6: server/errors.ts). And the public types check what a
 * caller writes (test/fixtures/typecheck/).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { buildOptions, emitDeclarations, unexportedTypes } from './public-types.js';
import { filesUnder } from './source-files.js';
import { tempDir } from './temp-dir.js';

const src = join(import.meta.dirname, '..', 'src');

test('no src file default-imports a Node built-in', () => {
  const files = filesUnder(src, (name) => name.endsWith('.ts'));
  assert.ok(files.length > 100, `only ${files.length} source files found under ${src}`);
  const defaults = files.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/^import\s+(?!type\b)[\w$]+\s*(?:,\s*\{[^}]*\}\s*)?from\s+['"](node:[^'"]+)['"]/gm)].map((m) => `${relative(src, f)}: ${m[0]}`),
  );
  assert.deepEqual(defaults, []);
});

/** The diagnostics of `file` type-checked with the project's settings (tsconfig.json), one line each. */
function typeErrors(file: string): string[] {
  const root = join(import.meta.dirname, '..');
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, ' ')) });
  const program = ts.createProgram([file], { ...config!.options, noEmit: true });
  const sf = program.getSourceFile(file);
  assert.ok(sf, `${file} was not read`);
  return ts.getPreEmitDiagnostics(program, sf).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${relative(root, d.file?.fileName ?? file)}:${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

test("TrainConfigInput checks the model block's keys and values, as it does mrt's (review 18b finding 1)", () => {
  // An unused @ts-expect-error (TS2578) is an error: a line the type lets through.
  assert.deepEqual(typeErrors(join(import.meta.dirname, 'fixtures', 'typecheck', 'train-config-input.ts')), []);
});

test('the types of the text options a caller writes are exported: TokenizerStyle, NewlineMode (review 18b finding 9)', () => {
  assert.deepEqual(typeErrors(join(import.meta.dirname, 'fixtures', 'typecheck', 'text-options.ts')), []);
});

const root = join(import.meta.dirname, '..');

test('every named type a public signature reaches is exported, and the model is opaque (review 31c finding 3)', () => {
  const options = buildOptions(root);
  // Where the declarations would go; they are kept in memory, so a stale dist/ plays no part.
  const out = join(root, '.published-types');
  const files = emitDeclarations(join(src, 'index.ts'), options, out);
  const missing = unexportedTypes(join(out, 'index.d.ts'), files, options);
  assert.deepEqual([...missing].map(([type, via]) => `${type} via ${[...via].join(' | ')}`), []);
  // addCompact is @internal: the build strips it (its argument type is internal, its precondition unchecked).
  assert.doesNotMatch(files.get(join(out, 'eval', 'scorer.d.ts'))!, /addCompact/);
  assert.doesNotMatch(files.get(join(out, 'index.d.ts'))!, /JointModel/);
});

test('the walk finds a type reached through a parameter, a property or a base class but not exported', () => {
  const pkg = tempDir('entrel-public-types-');
  const probe: Record<string, string> = {
    'package.json': '{"type":"module"}',
    'src/index.ts': "export { take, Holder, Child } from './api.js';\nexport type { Shown } from './types.js';\n",
    'src/types.ts': [
      'export interface Shown { inner: Nested }',
      'export interface Nested { n: number }',
      'export interface Param { p: number }',
      'export interface Private { q: number }',
      'export class Base { b = 1 }',
      'export const CONSTS = ["a", "b"] as const;',
    ].join('\n'),
    'src/api.ts': [
      "import { Base, type Param, type Private, type Shown, CONSTS } from './types.js';",
      'export function take(p: Param, kind: (typeof CONSTS)[number]): Shown { return { inner: { n: p.p + kind.length } }; }',
      'export class Holder {',
      '  private secret?: Private;',
      '  /** @internal */',
      '  hidden?: Private;',
      '  shown?: Shown;',
      '}',
      'export class Child extends Base {}',
    ].join('\n'),
  };
  for (const [f, text] of Object.entries(probe)) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    writeFileSync(join(pkg, f), text);
  }
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, rootDir: join(pkg, 'src'), stripInternal: true, types: [] };
  const out = join(pkg, 'dist');
  const missing = unexportedTypes(join(out, 'index.d.ts'), emitDeclarations(join(pkg, 'src', 'index.ts'), options, out), options);
  // Not Private (a private member, an @internal one), nor CONSTS (typeof: the caller writes the union it gives).
  assert.deepEqual(Object.fromEntries([...missing].map(([type, via]) => [type, [...via]])), {
    'Base (types.d.ts)': ['Child'],
    'Nested (types.d.ts)': ['Shown'],
    'Param (types.d.ts)': ['take'],
  });
});
