import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { filesUnder } from './source-files.js';
import { tempDir } from './temp-dir.js';

/**
 * No dead code (review 15b finding 6): every export of a src file is named in another file, and every
 * public class member is used. Parsed with TypeScript's parser (no type checking, so it takes seconds),
 * then looked for as text in src, test, bench, scripts and experiments: a name that appears nowhere else
 * is certainly not used there (a name that does may still be a mention in a comment; this misses those).
 * The package's public names (what src/index.ts exports, through `export *` and `export type *` too) are
 * used by its callers, not by other files: the checker lists them (review 18b finding 8).
 */
const root = join(import.meta.dirname, '..');

// This file aside: its comments and probe name what they look for.
const files = ['src', 'test', 'bench', 'scripts', 'experiments'].flatMap((d) => filesUnder(join(root, d), (name) => /\.[mc]?[jt]s$/.test(name))).filter((f) => f !== import.meta.filename);
const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const words = new Map(files.map((f) => [f, new Set(texts.get(f)!.match(/[A-Za-z_$][\w$]*/g))]));
const rel = (f: string) => relative(root, f).split(sep).join('/');
/** The source files whose exports and classes are checked: src's, not its tests', not the barrels (index.ts re-exports). */
const sources = files.filter((f) => rel(f).startsWith('src/') && f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => ts.createSourceFile(f, texts.get(f)!, ts.ScriptTarget.ES2022, true));

const hasExport = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a file declares with `export` (declarations and local `export { … }` lists, not re-exports). */
function exportedNames(sf: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s)) {
      if (!s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) names.push(...s.exportClause.elements.map((e) => e.name.text));
    } else if (hasExport(s)) {
      if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) ts.isIdentifier(d.name) && names.push(d.name.text);
      else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) names.push(s.name.text);
    }
  }
  return names;
}

/**
 * The declarations `index` (a package's entry file) exports, as `file name` with the file relative to `base`
 * and the name as declared: re-exports (`export *`, `export type *`, `export { a as b }`) followed to the
 * file that declares them, by the checker (binding only: no types are checked).
 */
function publicDeclarations(index: string, base: string): Set<string> {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, ' ')) });
  const program = ts.createProgram([index], { ...config!.options, noEmit: true });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(index)!);
  assert.ok(entry, `${index} is not a module`);
  const found = new Set<string>();
  for (const exported of checker.getExportsOfModule(entry)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const d of symbol.declarations ?? []) found.add(`${relative(base, d.getSourceFile().fileName).split(sep).join('/')} ${symbol.name}`);
  }
  return found;
}

/** entrel's public names: used by the package's callers even when no file of its own names them. */
const PUBLIC = publicDeclarations(join(root, 'src', 'index.ts'), root);

/** The exports of `sources` that no other of `files` names and that are not in `exempt`, as `file name`. */
function lonelyExports(sources: ts.SourceFile[], exempt: Set<string>): string[] {
  const lonely: string[] = [];
  for (const sf of sources) {
    if (sf.fileName.endsWith(`${sep}index.ts`)) continue;
    for (const name of exportedNames(sf)) {
      const label = `${rel(sf.fileName)} ${name}`;
      if (!files.some((g) => g !== sf.fileName && words.get(g)!.has(name)) && !exempt.has(label)) lonely.push(label);
    }
  }
  return lonely;
}

/**
 * Exports in files other fixers had open when the rest were un-exported (review 15b finding 6): each is
 * used in its own file only and is to be un-exported there. A name here that is no longer exported is fine.
 */
const LEFT_FOR_LATER = new Set<string>([]);

test('every export of a src file is named in another file, or is public (an export used only in its own file is not exported)', () => {
  assert.ok(sources.length > 200, `only ${sources.length} source files found`);
  assert.deepEqual(lonelyExports(sources, new Set([...PUBLIC, ...LEFT_FOR_LATER])), []);
});

/**
 * The names each barrel (an index.ts under src/, the package's own aside) re-exports that no file imports through
 * it, as `barrel name`: `import { name } from '…/index.js'`, `export { name } from …`, or a destructured
 * `await import(…)`; `export *`, a namespace import or a whole dynamic import uses them all.
 */
function unusedReExports(barrels: ts.SourceFile[], importers: ReadonlyMap<string, string>): string[] {
  const paths = new Set(barrels.map((b) => b.fileName));
  const used = new Map<string, Set<string>>();
  for (const [file, text] of importers) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const use = (spec: ts.Node | undefined, names: string[]) => {
      if (!spec || !ts.isStringLiteralLike(spec) || !spec.text.startsWith('.')) return;
      const target = join(dirname(file), spec.text).replace(/\.js$/, '.ts');
      if (paths.has(target)) for (const n of names) (used.get(target) ?? used.set(target, new Set()).get(target)!).add(n);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n)) {
        const bindings = n.importClause?.namedBindings;
        use(n.moduleSpecifier, bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : ['*']);
      } else if (ts.isExportDeclaration(n)) {
        use(n.moduleSpecifier, n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*']);
      } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const declared = ts.isAwaitExpression(n.parent) && ts.isVariableDeclaration(n.parent.parent) ? n.parent.parent.name : undefined;
        use(n.arguments[0], declared && ts.isObjectBindingPattern(declared) ? declared.elements.map((e) => ((e.propertyName ?? e.name) as ts.Identifier).text) : ['*']);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return barrels.flatMap((b) => {
    const names = used.get(b.fileName) ?? new Set();
    if (names.has('*')) return [];
    return b.statements.flatMap((s) =>
      ts.isExportDeclaration(s) && s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)
        ? s.exportClause.elements.filter((e) => !names.has(e.name.text)).map((e) => `${rel(b.fileName)} ${e.name.text}`)
        : [],
    );
  });
}

/** Re-exports in barrels other fixers have open (review 31c finding 5), to be dropped there. */
const BARRELS_LEFT_FOR_LATER = new Set<string>();

test('every name a src barrel re-exports is imported through it (was: typeColor, escapeHtml, renderAppPage, ReadOptions, SliceOptions)', () => {
  const barrels = sources.filter((sf) => sf.fileName.endsWith(`${sep}index.ts`) && rel(sf.fileName) !== 'src/index.ts');
  assert.ok(barrels.length >= 8, `only ${barrels.length} barrels found`);
  assert.deepEqual(unusedReExports(barrels, texts).filter((label) => !BARRELS_LEFT_FOR_LATER.has(label)), []);
  // A barrel in miniature: one name imported through it, one by a destructured dynamic import, one by nobody.
  const barrel = ts.createSourceFile(join(root, 'src', 'probe', 'index.ts'), "export { a, b, unused } from './x.js';\nexport type { T } from './t.js';\n", ts.ScriptTarget.ES2022, true);
  const importers = new Map([
    [join(root, 'src', 'user.ts'), "import { a } from './probe/index.js';\nimport { a as b2 } from './probe/x.js';"],
    [join(root, 'test', 'user.ts'), "const { b } = await import('../src/probe/index.js');\nimport type { T } from '../src/probe/index.js';"],
  ]);
  assert.deepEqual(unusedReExports([barrel], importers), ['src/probe/index.ts unused']);
});

test("the public names are src/index.ts's, through export * and export type *, and only those are exempt", () => {
  for (const name of ['src/extract/extractor.ts Extractor', 'src/errors.ts UserError', 'src/train/config-schema.ts TrainConfigInput'])
    assert.ok(PUBLIC.has(name), `${name} is not among the ${PUBLIC.size} public names`);
  // A package in miniature: a type that only `export type *` makes public, and an export nothing names.
  const pkg = tempDir('entrel-dead-code-');
  const probe = {
    'package.json': '{"type":"module"}',
    'src/index.ts': "export * from './outer/index.js';\nexport { probeRenamed as probeOuterName } from './outer/renamed.js';\n",
    'src/outer/index.ts': "export type * from './types.js';\n",
    'src/outer/types.ts': 'export interface ProbeOnlyPublic { x: number }\n',
    'src/outer/renamed.ts': 'export const probeRenamed = 1;\n',
    'src/outer/hidden.ts': 'export const probeNotPublic = 1;\n',
  };
  for (const [f, text] of Object.entries(probe)) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    writeFileSync(join(pkg, f), text);
  }
  assert.deepEqual([...publicDeclarations(join(pkg, 'src', 'index.ts'), pkg)].sort(), ['src/outer/renamed.ts probeRenamed', 'src/outer/types.ts ProbeOnlyPublic']);
  // The same probe among the repository's sources: the public type passes, the other export does not.
  const probeSources = ['src/outer/types.ts', 'src/outer/hidden.ts'].map((f) => ts.createSourceFile(join(root, f), probe[f as keyof typeof probe], ts.ScriptTarget.ES2022, true));
  assert.deepEqual(lonelyExports(probeSources, new Set(['src/outer/types.ts ProbeOnlyPublic'])), ['src/outer/hidden.ts probeNotPublic']);
});

/**
 * Parameters named `_…` (which noUnusedParameters lets through unread) of src's named functions and class
 * methods, as `file function(parameter)`. Callbacks are left out: their caller decides the positions
 * (`(_, i) => …`). A format's `read(file, opts)` may ignore the options (it has none): that is the Format interface.
 */
function ignoredParameters(sf: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isParameter(n) && ts.isIdentifier(n.name) && n.name.text.startsWith('_')) {
      const fn = n.parent;
      const named = ts.isFunctionDeclaration(fn) || (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent));
      const name = named && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : '';
      if (named && !(rel(sf.fileName).startsWith('src/data/formats/') && name === 'read')) found.push(`${rel(sf.fileName)} ${name}(${n.name.text})`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

test('no src function takes a parameter it ignores (was: checkExtractInput and checkAlignment, each a tokenizer)', () => {
  assert.deepEqual(sources.flatMap(ignoredParameters), []);
});

/** Public members that nothing the checker can see uses, each with why it is kept. */
const USED_UNSEEN = new Map([
  // Commander calls it on a parse error: it replaces the Command method of that name (private in commander's types).
  ['ExtractCommand.unknownOption', 'called by commander'],
]);

/**
 * The public members (methods, accessors, properties) of the classes in `sf` that are never used: no
 * `.name` (Math's aside) nor destructured `{ name }` in another file or outside the class in its own
 * file, and no `this.name` inside it. Other uses inside the class do not count: in Tensor, the binding's
 * `N.setRequiresGrad` and the op codes' `UI.relu_` are not uses of the methods of those names.
 */
function unusedMembers(sf: ts.SourceFile): string[] {
  const text = sf.getFullText();
  const unused: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isClassDeclaration(n))
      for (const m of n.members) {
        if (!(ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m) || ts.isPropertyDeclaration(m)) || !ts.isIdentifier(m.name)) continue;
        if (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Override)) continue;
        const name = m.name.text;
        const label = `${n.name?.text ?? '(class)'}.${name}`;
        if (USED_UNSEEN.has(label)) continue;
        const use = new RegExp(`(?<!\\bMath)\\.${name.replace(/\$/g, '\\$')}\\b|\\{[^{}]*\\b${name}\\b[^{}]*\\}\\s*=`);
        const outside = text.slice(0, n.getStart()) + text.slice(n.getEnd());
        const inside = text.slice(n.getStart(), n.getEnd());
        const used = use.test(outside) || new RegExp(`\\bthis\\.${name}\\b`).test(inside) || files.some((g) => g !== sf.fileName && use.test(texts.get(g)!));
        if (!used) unused.push(`${rel(sf.fileName)} ${label}`);
      }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return unused;
}

test('every public class member in src is used', () => {
  assert.deepEqual(sources.flatMap(unusedMembers), []);
});

test('the checks find an export used in its own file only, and an unused member', () => {
  const sf = ts.createSourceFile(join(root, 'src', 'probe.ts'), [
    'export const usedHere = 1;',
    'export function probeNobodyCalls() { return usedHere; }',
    'const N = { probeNative() {} };',
    'export class Probe { probeNever(): void { N.probeNative(); } probeSelf(): void { this.probeSelf(); } get isDisposed(): boolean { return false; } }',
  ].join('\n'), ts.ScriptTarget.ES2022, true);
  assert.deepEqual(exportedNames(sf), ['usedHere', 'probeNobodyCalls', 'Probe']);
  // probeSelf calls itself (this.), isDisposed is used elsewhere in src; probeNever is named only inside its
  // class (the label is joined here, or this file's text would hold a use of it).
  assert.deepEqual(unusedMembers(sf), [['src/probe.ts Probe', 'probeNever'].join('.')]);
});
