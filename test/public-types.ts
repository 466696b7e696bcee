/**
 * What a caller of the package can name: the declaration files tsc writes for it (made in memory), and
 * the package's own named types that its exports' signatures reach but that it does not export (a caller
 * meets them as parameters or results and cannot write them down: review 31c finding 3).
 */
import assert from 'node:assert/strict';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** The `.d.ts` files of the package whose entry is `index`, by path under `outDir`, with `options` (written nowhere). */
export function emitDeclarations(index: string, options: ts.CompilerOptions, outDir: string): Map<string, string> {
  const program = ts.createProgram([index], { ...options, outDir, declaration: true, emitDeclarationOnly: true, noEmit: false, sourceMap: false, declarationMap: false });
  const files = new Map<string, string>();
  const { diagnostics } = program.emit(undefined, (file, text) => files.set(file, text), undefined, true);
  assert.ok(files.size > 0 && diagnostics.length === 0, ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dirname(index), getNewLine: () => '\n' }));
  return files;
}

/**
 * The named types declared in `files` (a package's `.d.ts`, `index` its entry) that the exports of `index`
 * reach through their declared parameters, results, properties and heritage, transitively, and that
 * `index` does not export: `Name (file)` → the public names it is reached through. Private and protected
 * members do not count, nor `typeof value` (the caller names the type it gives, such as TrainConfig).
 */
export function unexportedTypes(index: string, files: ReadonlyMap<string, string>, options: ts.CompilerOptions): Map<string, Set<string>> {
  const host = ts.createCompilerHost(options);
  const outDir = dirname(index);
  const { fileExists, readFile, directoryExists } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.directoryExists = (d) => [...files.keys()].some((f) => f.startsWith(d + sep)) || (directoryExists?.call(host, d) ?? false);
  const program = ts.createProgram([index], { ...options, noEmit: true }, host);
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(index)!);
  assert.ok(entry, `${index} is not a module`);
  const exported = new Map<ts.Symbol, string>();
  for (const e of checker.getExportsOfModule(entry)) exported.set(e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e, e.name);
  const inPackage = (d: ts.Declaration) => files.has(d.getSourceFile().fileName);
  const missing = new Map<string, Set<string>>();
  const seen = new Set<ts.Symbol>();

  const visitNode = (node: ts.Node, via: string): void => {
    if (ts.isTypeQueryNode(node)) return;
    const named = ts.isTypeReferenceNode(node) ? node.typeName : ts.isExpressionWithTypeArguments(node) ? node.expression : ts.isImportTypeNode(node) ? node.qualifier : undefined;
    let symbol = named && checker.getSymbolAtLocation(named);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    if (symbol) consider(symbol, via);
    ts.forEachChild(node, (n) => visitNode(n, via));
  };
  const visitDeclaration = (d: ts.Declaration, via: string): void => {
    if (!ts.isClassDeclaration(d)) return visitNode(d, via);
    for (const h of d.heritageClauses ?? []) visitNode(h, via);
    for (const m of d.members) {
      if (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || (m.name && ts.isPrivateIdentifier(m.name))) continue;
      visitNode(m, `${via}.${m.name && ts.isIdentifier(m.name) ? m.name.text : 'constructor'}`);
    }
  };
  const consider = (symbol: ts.Symbol, via: string): void => {
    const declarations = (symbol.declarations ?? []).filter(inPackage);
    if (declarations.length === 0 || symbol.flags & ts.SymbolFlags.TypeParameter) return;
    const name = exported.get(symbol);
    if (name === undefined) {
      const key = `${symbol.name} (${relative(outDir, declarations[0].getSourceFile().fileName).split(sep).join('/')})`;
      missing.set(key, (missing.get(key) ?? new Set()).add(via));
    }
    if (seen.has(symbol)) return;
    seen.add(symbol);
    for (const d of declarations) visitDeclaration(d, name ?? `${via} > ${symbol.name}`);
  };
  for (const [symbol, name] of exported) {
    seen.add(symbol);
    for (const d of (symbol.declarations ?? []).filter(inPackage)) visitDeclaration(d, name);
  }
  return missing;
}

/** The project's compiler options for the package build (tsconfig.build.json). */
export function buildOptions(root: string): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, ' ')) });
  return config!.options;
}
