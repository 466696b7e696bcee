/**
 * The published `.d.ts` files are read by the consumer's TypeScript under the consumer's settings. A
 * default import of a Node built-in (`import http from 'node:http'`) that reaches them fails under
 * `module: commonjs` without `esModuleInterop` (TS1192 "has no default export"), so src imports Node's
 * modules by name only (review 15d finding 6: server/errors.ts). And the public types check what a
 * caller writes (test/fixtures/typecheck/).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const src = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('no src file default-imports a Node built-in', () => {
  const files = sourceFiles(src);
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
