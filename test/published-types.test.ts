/**
 * The published `.d.ts` files are read by the consumer's TypeScript under the consumer's settings. A
 * default import of a Node built-in (`import http from 'node:http'`) that reaches them fails under
 * `module: commonjs` without `esModuleInterop` (TS1192 "has no default export"), so src imports Node's
 * modules by name only (review 15d finding 6: server/errors.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

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
