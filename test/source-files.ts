/** The source walks the repository-wide tests share (architecture, import cycles, dead code, published types). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** The files under `dir`, recursively (node_modules aside), whose names `keep` accepts. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' ? [] : e.isDirectory() ? filesUnder(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The TypeScript files under `dir`, tests (`*.test.ts`) aside. */
export const sourceFiles = (dir: string): string[] => filesUnder(dir, (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

/**
 * The module specifiers `text` imports: static, type-only, re-exported, dynamic `import()`, `import('…')`
 * types and `require('…')`, found by TypeScript's scanner (so not in comments or strings).
 */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
}

/** The src files `file` imports (its relative specifiers, resolved, `.js` read as `.ts`). */
export function importedFiles(file: string): string[] {
  return importSpecifiers(readFileSync(file, 'utf8'))
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}
