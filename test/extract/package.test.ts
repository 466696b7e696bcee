/**
 * The package as a consumer sees it: `import { Extractor } from 'entrel'` through package.json's `exports`
 * (the built dist/, linked into a temporary project's node_modules), at run time and in a strict
 * TypeScript type check against the emitted .d.ts files. Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = tempDir('entrel-consumer-');

before(() => {
  assert.ok(existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'index.d.ts')), 'dist/ is not built: run npm run build');
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules', 'entrel'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
});

test('an ESM consumer imports the public API from "entrel"', () => {
  writeFileSync(
    join(project, 'main.mjs'),
    `import * as entrel from 'entrel';
import { Extractor, DEFAULT_MODEL_DIR } from 'entrel';
const names = ['Extractor', 'toBratAnn', 'extractStream', 'loadCorpus', 'writeCorpus', 'FORMATS', 'textToDocument', 'tokenize',
  'evaluate', 'Scorer', 'loadModelDir', 'trainNN', 'evaluateModel', 'startServer', 'buildServer', 'renderHtml', 'UserError'];
console.log(JSON.stringify({ missing: names.filter((n) => !(n in entrel)), load: typeof Extractor.load, dir: DEFAULT_MODEL_DIR }));
`,
  );
  const r = spawnSync(process.execPath, ['main.mjs'], { ...CHILD_LIMIT, cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.missing, []);
  assert.equal(out.load, 'function');
  // The bundled model is found beside the package, wherever the consumer runs from.
  assert.equal(out.dir, join(root, 'models', 'conll04'));
  // Deep imports are not part of the API: the exports map keeps them out.
  writeFileSync(join(project, 'deep.mjs'), `import 'entrel/dist/extract/extractor.js';\n`);
  const deep = spawnSync(process.execPath, ['deep.mjs'], { ...CHILD_LIMIT, cwd: project, encoding: 'utf8' });
  assert.notEqual(deep.status, 0);
  assert.match(deep.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test("a CommonJS consumer's require('entrel') loads it where Node can require an ES module, else says to import()", () => {
  writeFileSync(join(project, 'main.cjs'), `const { Extractor } = require('entrel');\nconsole.log(typeof Extractor.load);\n`);
  const r = spawnSync(process.execPath, ['main.cjs'], { ...CHILD_LIMIT, cwd: project, encoding: 'utf8' });
  // Node 20.19+ and 22.12+ require() ES modules (without top-level await); earlier ones refuse with advice.
  const canRequire = (process.features as { require_module?: boolean }).require_module === true;
  if (canRequire) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'function\n');
  } else {
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /ERR_REQUIRE_ESM[\s\S]*dynamic import\(\)/);
  }
  // Without the "require" path in the exports map, Node said only: No "exports" main defined.
  assert.doesNotMatch(r.stderr, /No "exports" main defined/);
});

/** `source`, written to the consumer project as `name`, passes a strict NodeNext type check against the emitted .d.ts. */
function typeChecks(name: string, source: string): void {
  const config = join(project, `tsconfig.${name}.json`);
  writeFileSync(
    config,
    // skipLibCheck: the declarations were emitted by a strict compile of src/; re-checking them (and fastify's,
    // zod's…) takes 10 s here and tests nothing about the consumer's view.
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [], skipLibCheck: true },
      files: [name],
    }),
  );
  writeFileSync(join(project, name), source);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', config], { ...CHILD_LIMIT, cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

test('the emitted .d.ts files type-check a strict NodeNext consumer', () => {
  typeChecks(
    'use.ts',
    `import { Extractor, type ExtractedDocument, type ExtractOptions, type ModelInfo } from 'entrel';
export async function run(): Promise<number> {
  const ex: Extractor = await Extractor.load();
  const options: ExtractOptions = { relationThreshold: 0.5, allowedTriples: [['Peop', 'Work_For', 'Org']], maxPairDistance: 20 };
  const one: ExtractedDocument = await ex.extract('John works for IBM.', options);
  const many: ExtractedDocument[] = await ex.extract(['a', 'b']);
  const info: ModelInfo = ex.info();
  // @ts-expect-error a number is not a text
  await ex.extract(42);
  return one.entities[0].start + many.length + info.entityTypes.length;
}
`,
  );
});

test('a consumer can name the option and reply types of the exported functions, and pass a text or texts as one value', () => {
  typeChecks(
    'types.ts',
    `import { EnsembleExtractor, Extractor, evaluateModel, loadModelDir, renderDocumentSvg, renderHtml } from 'entrel';
import type { DataOptions, ErrorBody, ErrorCode, ExtractBody, ExtractedDocument, ExtractOptions, ExtractReply, HtmlOptions, ModelHandle, SvgOptions } from 'entrel';
export async function run(ex: Extractor, ensemble: EnsembleExtractor, input: string | string[], doc: ExtractedDocument): Promise<number> {
  // A model in memory, as fromModel takes it.
  const { model, schema } = loadModelDir('model');
  const inMemory: ModelHandle = model;
  Extractor.fromModel(inMemory, schema);
  // A constant list of triples is readonly.
  const triples = [['Peop', 'Work_For', 'Org']] as const;
  const options: ExtractOptions = { allowedTriples: triples };
  const out: ExtractedDocument | ExtractedDocument[] = await ex.extract(input, options);
  const voted: ExtractedDocument | ExtractedDocument[] = await ensemble.extract(input);
  const html: HtmlOptions = { title: 'Predictions', width: 60 };
  const svg: SvgOptions = { width: 60 };
  const data: DataOptions = { batchSize: 50 };
  const body: ExtractBody = { texts: ['Tom lives in Ohio.'], relationThreshold: 0.5 };
  const reply: ExtractReply = { documents: [doc] };
  const code: ErrorCode = 'timeout';
  const error: ErrorBody = { error: { code, message: 'took too long' } };
  const report = await evaluateModel('model', 'test.json', data);
  return renderHtml(doc, html).length + renderDocumentSvg(doc, svg).length + [out, voted].flat().length + report.sentences + JSON.stringify([body, reply, error]).length;
}
`,
  );
});

test('npm pack ships the built API, the bundled model and the native sources, and nothing else', () => {
  // --ignore-scripts: prepack would rebuild dist/, which `npm test` has just done.
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  const files = new Set(pack.files.map((f) => f.path));
  for (const needed of ['package.json', 'bin/entrel.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'binding.gyp', 'src/native/entrel.cc', 'scripts/install-native.cjs', 'scripts/libtorch-paths.cjs', 'models/conll04/weights.safetensors', 'models/conll04/vocab.json', 'models/conll04/config.json'])
    assert.ok(files.has(needed), `${needed} is not in the package`);
  const tops = new Set([...files].map((f) => f.split('/')[0]));
  assert.deepEqual([...tops].sort(), ['LICENSE', 'README.md', 'bin', 'binding.gyp', 'configs', 'dist', 'models', 'package.json', 'scripts', 'src']);
  // Of scripts/, only what npm's install step runs.
  assert.deepEqual([...files].filter((f) => f.startsWith('scripts/')).sort(), ['scripts/install-native.cjs', 'scripts/libtorch-paths.cjs', 'scripts/node-headers.cjs']);
  assert.ok(![...files].some((f) => f.endsWith('.test.js') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))), 'tests or TypeScript sources leaked into the package');
});

test('the source maps of dist/ carry their sources (the .ts files are not shipped)', () => {
  const map = JSON.parse(readFileSync(join(root, 'dist', 'extract', 'extractor.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
  assert.equal(map.sources.length, 1);
  assert.match(map.sourcesContent?.[0] ?? '', /export class Extractor/);
});
