/**
 * The README's TypeScript and JavaScript examples stay true as the API changes: every ```ts (or ```js)
 * block type-checks against the real API ('entrel' mapped to src/index.ts), and a block whose comments
 * show values (`// doc.entities[0]: {…}`) runs against the bundled model and must give them.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { tempDir } from '../temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const api = join(root, 'src', 'index.ts');
const tmp = tempDir('entrel-readme-');
// ES modules, as the README's imports and top-level awaits are.
writeFileSync(join(tmp, 'package.json'), '{"type": "module"}\n');

interface Block {
  /** README line of the block's first code line (1-based). */
  line: number;
  ext: 'ts' | 'js';
  code: string;
}

/** The fenced ts/js code blocks of a Markdown text. */
function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let open: { line: number; lang: string; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, i) => {
    const fence = /^```\s*(\w*)\s*$/.exec(text);
    if (!open) {
      if (fence) open = { line: i + 2, lang: fence[1], lines: [] };
    } else if (fence && fence[1] === '') {
      const ext = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js' }[open.lang] as Block['ext'] | undefined;
      if (ext) blocks.push({ line: open.line, ext, code: open.lines.join('\n') + '\n' });
      open = undefined;
    } else open.lines.push(text);
  });
  return blocks;
}

const blocks = codeBlocks(readFileSync(join(root, 'README.md'), 'utf8'));

/** A shown value: `// doc.entities[0]: {…}` (the object may go on over further comment lines). */
interface Shown {
  line: number;
  path: string;
  value: Record<string, unknown>;
}

function shownValues(block: Block): Shown[] {
  const lines = block.code.split('\n');
  const shown: Shown[] = [];
  lines.forEach((text, i) => {
    const m = /^\/\/ (\w+(?:\.\w+|\[\d+\])*):\s+(\{.*)$/.exec(text);
    if (!m) return;
    let literal = m[2];
    for (let j = i + 1; count(literal, '{') > count(literal, '}') && lines[j]?.startsWith('//'); j++) literal += ' ' + lines[j].slice(2).trim();
    shown.push({ line: block.line + i, path: m[1], value: runInNewContext(`(${literal})`) as Record<string, unknown> });
  });
  return shown;
}

const count = (s: string, c: string) => s.split(c).length - 1;

/** `doc.entities[0]` of a module's exports. */
function valueAt(exports: Record<string, unknown>, path: string): unknown {
  return path.split(/\.|\[(\d+)\]/).filter(Boolean).reduce<any>((v, key) => v?.[key], exports);
}

describe("the README's code examples", () => {
  it('has the library example among its ts blocks', () => {
    assert.ok(blocks.some((b) => b.code.includes('Extractor.load(')), `ts blocks found at README lines ${blocks.map((b) => b.line)}`);
  });

  it("type-check against the real API (import 'entrel' = src/index.ts)", () => {
    const files = blocks.map((b) => join(tmp, `readme-${b.line}.${b.ext}`));
    blocks.forEach((b, i) => writeFileSync(files[i], b.code));
    const program = ts.createProgram(files, {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      paths: { entrel: [api] },
      typeRoots: [join(root, 'node_modules', '@types')],
      types: ['node'],
    });
    // Only the blocks' own errors: src/ is type-checked by `npm run typecheck`.
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = blocks[files.indexOf(d.file!.fileName)];
        return `README.md:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    assert.deepEqual(errors, []);
  });

  for (const block of blocks.filter((b) => shownValues(b).length > 0))
    it(`give the values their comments show (the block at README line ${block.line}, run)`, async () => {
      const shown = shownValues(block);
      const names = [...new Set(shown.map((s) => s.path.split(/[.[]/)[0]))];
      const code = block.code.replace(/from 'entrel'/g, `from '${pathToFileURL(api).href}'`) + `export { ${names.join(', ')} };\n`;
      const file = join(tmp, `run-${block.line}.${block.ext}`);
      writeFileSync(file, code);
      const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const { line, path, value } of shown) {
        const where = `README.md:${line}: ${path}`;
        const actual = valueAt(exports, path) as Record<string, unknown> | undefined;
        assert.ok(actual, `${where} is ${actual}`);
        assert.deepEqual(Object.keys(actual).sort(), Object.keys(value).sort(), `${where}: its fields`);
        for (const [key, want] of Object.entries(value)) {
          // A fraction is shown rounded: it must agree to its last shown digit.
          const decimals = typeof want === 'number' ? (String(want).split('.')[1] ?? '').length : 0;
          if (decimals > 0) assert.ok(Math.abs((actual[key] as number) - (want as number)) < 10 ** -decimals, `${where}.${key} is ${actual[key]}, shown ${want}`);
          else assert.deepEqual(actual[key], want, `${where}.${key}`);
        }
      }
    });
});
