/**
 * `entrel package` (extract/model-package.ts) and model packages found by name (model/model-ref.ts):
 * what the package holds, the refusals that protect the user's files, and a package found as Node
 * finds packages, by the CLI, the library and a training config.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readModelCard } from '../../src/extract/model-card.js';
import { packageModel } from '../../src/extract/model-package.js';
import { Extractor } from '../../src/extract/index.js';
import { saveModelDir } from '../../src/model/io.js';
import { resolveModelRef } from '../../src/model/model-ref.js';
import { readWordVectorsText, wordVectorsRecord } from '../../src/model/word-vectors.js';
import { checkDataFiles, loadConfig } from '../../src/train/config.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { tempDir } from '../temp-dir.js';

const tmp = tempDir('entrel-package-');
const { model } = tinyJointModel({ torchSeed: 3, train: [10, 2], config: SMALL_DIMS });
const modelDir = join(tmp, 'tiny');
saveModelDir(modelDir, model, SCHEMA, { glove: false, name: 'tiny', version: '9.9.9', trainedOn: 'synthetic', metrics: { test: { entityF1: 12.5, file: '/data/test.json' } } });

/** A UserError with this message (its location included) and, when given, this field. */
function refused(fn: () => unknown, message: RegExp, field?: string): void {
  assert.throws(fn, (e: Error & { location?: { field?: string } }) => {
    assert.match(e.message, message);
    if (field !== undefined) assert.equal(e.location?.field, field);
    return true;
  });
}

/** A project directory with `pkg` installed under `name` (a copy, as `npm install` of a tarball leaves it). */
function project(name: string, pkg: string): string {
  const dir = tempDir('entrel-project-');
  cpSync(pkg, join(dir, 'node_modules', name), { recursive: true });
  return dir;
}

describe('entrel package', () => {
  const out = join(tmp, 'pkg');
  const r = packageModel(modelDir, out, { name: '@acme/tiny-model', version: 'v1.2.3', license: 'MIT', author: 'Acme' });

  it('writes the model, an index exporting its path, types, a README and a package.json that says where the model is', () => {
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['README.md', 'index.d.ts', 'index.js', 'model/checksum', 'model/config.json', 'model/schema.json', 'model/vocab.json', 'model/weights.safetensors', 'package.json'],
    );
    assert.equal(r.bytes, r.files.reduce((n, f) => n + f.bytes, 0));
    assert.equal(r.version, '1.2.3', 'semver cleans the leading v');
    assert.deepEqual(r.warnings, []);
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    assert.equal(pkg.name, '@acme/tiny-model');
    assert.equal(pkg.version, '1.2.3');
    assert.equal(pkg.license, 'MIT');
    assert.equal(pkg.author, 'Acme');
    assert.deepEqual(pkg.files, ['index.js', 'index.d.ts', 'model']);
    assert.equal(pkg.entrel.model, 'model');
    assert.deepEqual(pkg.peerDependenciesMeta, { entrel: { optional: true } }, 'installing a model must not fetch entrel');
    assert.match(pkg.description, /^An entrel model: PER, ORG, LOC entities and .*trained on synthetic$/);
    assert.match(readFileSync(join(out, 'index.js'), 'utf8'), /exports\.modelDir = join\(__dirname, "model"\);/);
  });

  it("gives the model the package's name and version, with checksums that verify", () => {
    const card = readModelCard(join(out, 'model'));
    assert.equal(card.name, '@acme/tiny-model');
    assert.equal(card.version, '1.2.3');
    const source = readModelCard(modelDir);
    assert.equal(source.name, 'tiny', 'the packaged model is left as it was');
    assert.deepEqual(card.tensors, source.tensors);
    assert.equal(readFileSync(join(out, 'model', 'weights.safetensors')).compare(readFileSync(join(modelDir, 'weights.safetensors'))), 0);
  });

  it("writes a README with the labels, the recorded scores and how to use the package", () => {
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /^# @acme\/tiny-model\n/);
    assert.match(readme, /npx entrel extract --model @acme\/tiny-model /);
    assert.match(readme, /\| entities \| PER, ORG, LOC \|/);
    assert.match(readme, /\| test \(test\.json\) \| entityF1 \| 12\.5 \|/);
    assert.match(readme, /\| word vectors \| none \(random initialisation\) \|/);
  });

  it("defaults to the model's own name and version, and warns that no license was given", () => {
    const d = packageModel(modelDir, join(tmp, 'defaults'));
    assert.equal(d.name, 'tiny');
    assert.equal(d.version, '9.9.9');
    assert.equal(d.warnings.length, 1);
    assert.match(d.warnings[0], /^no --license/);
    assert.equal(JSON.parse(readFileSync(join(tmp, 'defaults', 'package.json'), 'utf8')).license, undefined);
  });

  it('refuses a bad name or version, naming the field, and writes nothing', () => {
    const dir = join(tmp, 'bad');
    refused(() => packageModel(modelDir, dir, { name: 'Tiny Model' }), /"Tiny Model" is not a valid npm package name: .*URL-friendly/, 'name');
    refused(() => packageModel(modelDir, dir, { name: 'tiny', version: '1.0' }), /"1\.0" is not a semver version/, 'version');
    const unnamed = join(tmp, 'Unnamed Run');
    saveModelDir(unnamed, model, SCHEMA, { glove: false });
    refused(() => packageModel(unnamed, dir), /the model's name "Unnamed Run" is not a valid npm package name: give one with --name/, 'name');
    assert.equal(existsSync(dir), false);
  });

  it('refuses to write inside the model, over it, or over a directory of other files, which stay as they were', () => {
    refused(() => packageModel(modelDir, join(modelDir, 'pkg')), /would be written inside the model it packages/);
    refused(() => packageModel(modelDir, tmp), /would replace a directory holding the model it packages/);
    const mine = join(tmp, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'mine');
    refused(() => packageModel(modelDir, mine, { name: 'x' }), /holds 1 file and is not a model package: .*choose a new or empty one/);
    assert.deepEqual(readdirSync(mine), ['notes.txt']);
    assert.equal(readModelCard(modelDir).name, 'tiny');
  });

  it('replaces a model package written before, whole', () => {
    const again = join(tmp, 'again');
    packageModel(modelDir, again, { name: 'tiny', version: '1.0.0' });
    writeFileSync(join(again, 'model', 'stray'), 'left by hand');
    packageModel(modelDir, again, { name: 'tiny', version: '1.0.1' });
    assert.equal(JSON.parse(readFileSync(join(again, 'package.json'), 'utf8')).version, '1.0.1');
    assert.equal(existsSync(join(again, 'model', 'stray')), false);
  });

  it('refuses a corrupt model before writing anything', () => {
    const broken = join(tmp, 'broken');
    cpSync(modelDir, broken, { recursive: true });
    writeFileSync(join(broken, 'vocab.json'), '{}');
    refused(() => packageModel(broken, join(tmp, 'from-broken'), { name: 'x' }), /checksum mismatch/);
    assert.equal(existsSync(join(tmp, 'from-broken')), false);
  });
});

describe('a model package found by name', () => {
  const pkg = join(tmp, 'found');
  packageModel(modelDir, pkg, { name: '@acme/found', version: '1.0.0' });
  const proj = project('@acme/found', pkg);
  const deep = join(proj, 'src', 'deep');
  mkdirSync(deep, { recursive: true });

  it('from the project and from any directory below it, as Node resolves packages', () => {
    const want = join(proj, 'node_modules', '@acme', 'found', 'model');
    assert.equal(resolveModelRef('@acme/found', proj), want);
    assert.equal(resolveModelRef('@acme/found', deep), want);
  });

  it('while a path that exists is always the path', () => {
    mkdirSync(join(deep, 'tiny'));
    assert.equal(resolveModelRef('tiny', deep), join(deep, 'tiny'));
    assert.equal(resolveModelRef('./no/such/dir', deep), join(deep, 'no', 'such', 'dir'), 'not a package name: left to the loader');
  });

  it('through a symlinked install (npm install DIR)', () => {
    const linked = tempDir('entrel-linked-');
    mkdirSync(join(linked, 'node_modules', '@acme'), { recursive: true });
    symlinkSync(pkg, join(linked, 'node_modules', '@acme', 'found'));
    assert.equal(readModelCard(resolveModelRef('@acme/found', linked)).name, '@acme/found');
  });

  it('says where it looked when the package is not installed', () => {
    refused(() => resolveModelRef('@acme/missing', deep), /no model directory of that name \(.*missing\), nor an installed npm package "@acme\/missing" \(looked for node_modules\/@acme\/missing from .* upward\)/);
  });

  it('refuses a package that is not a model package, or whose model is outside it or missing', () => {
    const other = tempDir('entrel-other-');
    const write = (name: string, json: unknown) => {
      mkdirSync(join(other, 'node_modules', name), { recursive: true });
      writeFileSync(join(other, 'node_modules', name, 'package.json'), JSON.stringify(json));
    };
    write('lodash', { name: 'lodash', version: '4.0.0' });
    refused(() => resolveModelRef('lodash', other), /package "lodash" is not an entrel model package \(its package\.json has no "entrel" field/, 'entrel');
    write('escapes', { name: 'escapes', entrel: { model: '../lodash' } });
    refused(() => resolveModelRef('escapes', other), /"\.\.\/lodash" is outside the package/, 'entrel.model');
    write('absolute', { name: 'absolute', entrel: { model: '/etc' } });
    refused(() => resolveModelRef('absolute', other), /expected a relative path to the model folder, got "\/etc"/, 'entrel.model');
    write('hollow', { name: 'hollow', entrel: { model: 'model' } });
    refused(() => resolveModelRef('hollow', other), /the package's model folder "model" is missing \(a broken install\? reinstall "hollow"\)/, 'entrel.model');
    mkdirSync(join(other, 'node_modules', 'garbled'));
    writeFileSync(join(other, 'node_modules', 'garbled', 'package.json'), '{');
    refused(() => resolveModelRef('garbled', other), /cannot read the package\.json of package "garbled"/);
  });

  it('by Extractor.load, from the current directory', async () => {
    const was = process.cwd();
    process.chdir(deep);
    try {
      const ex = await Extractor.load('@acme/found', { workers: 0 });
      assert.equal(ex.info().name, '@acme/found');
      assert.equal(ex.info().version, '1.0.0');
      await ex.close();
    } finally {
      process.chdir(was);
    }
  });

  it("by a training config's init, relative to the config file, and a missing one names the key", () => {
    const file = join(deep, 'mrt.json');
    writeFileSync(file, JSON.stringify({ data: { train: file, dev: file }, init: '@acme/found' }));
    const config = loadConfig(file);
    assert.equal(config.init, join(proj, 'node_modules', '@acme', 'found', 'model'));
    writeFileSync(file, JSON.stringify({ data: { train: file, dev: file }, init: '@acme/missing' }));
    refused(() => checkDataFiles(loadConfig(file), file), /no such model directory: .*@acme\/missing \(a model package's name works once the package is installed\)/, 'init');
  });
});

describe('a model with its own word vectors, packaged', () => {
  const src = tempDir('entrel-vectors-');
  const vectors = join(src, 'domain.vec');
  const row = (w: string, i: number) => `${w} ${Array.from({ length: SMALL_DIMS.wordDim! }, (_, j) => ((i + j) % 7) / 10).join(' ')}`;
  writeFileSync(vectors, ['acme', 'boston', 'smith'].map(row).join('\n') + '\n');
  const own = join(src, 'own');
  saveModelDir(own, model, SCHEMA, { glove: true, name: 'own', version: '1.0.0', embeddings: wordVectorsRecord(vectors, readWordVectorsText(vectors)) });

  it('leaves the vectors out with a warning, or takes them with --with-vectors', () => {
    const without = packageModel(own, join(src, 'without'), { license: 'MIT' });
    assert.equal(without.warnings.length, 1);
    assert.match(without.warnings[0], /through its own word vectors \(.*domain\.vec, 0\.0 MB\), which the package does not hold: .*--with-vectors/);
    const withIt = packageModel(own, join(src, 'with'), { license: 'MIT', withVectors: true });
    assert.deepEqual(withIt.warnings, []);
    assert.ok(withIt.files.some((f) => f.path === 'model/domain.vec'));
    assert.match(readFileSync(join(src, 'with', 'README.md'), 'utf8'), /its own, domain\.vec \(3 words, 8 dimensions\), in the package/);
  });

  it('and the package finds them in its model directory once the original file is gone', async () => {
    renameSync(vectors, `${vectors}.moved`);
    try {
      const card = readModelCard(join(src, 'with', 'model'));
      assert.equal(card.embeddings?.foundAt, join(src, 'with', 'model', 'domain.vec'));
      const ex = await Extractor.load(join(src, 'with', 'model'), { workers: 0 });
      assert.equal((await ex.extract('Smith of Acme went to Zurich .')).text, 'Smith of Acme went to Zurich .');
      await ex.close();
      assert.match(readModelCard(join(src, 'without', 'model')).embeddings?.problem ?? '', /domain\.vec, which are not there nor in the model directory: put them at that path or into the model directory, or set ENTREL_EMBEDDINGS/);
      await assert.rejects(Extractor.load(join(src, 'without', 'model'), { workers: 0 }), /which are not there nor in the model directory/);
    } finally {
      renameSync(`${vectors}.moved`, vectors);
    }
  });

  it('refuses --with-vectors for a model without vectors of its own', () => {
    refused(() => packageModel(modelDir, join(src, 'none'), { withVectors: true }), /--with-vectors: the model has no word vectors of its own \(it was trained without pretrained vectors\)/);
  });
});
