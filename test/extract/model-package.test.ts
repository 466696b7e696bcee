/**
 * `entrel package` (extract/model-package.ts) and model packages found by name (model/model-ref.ts):
 * what the package holds, the refusals that protect the user's files, and a package found as Node
 * finds packages, by the CLI, the library and a training config.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { UserError } from '../../src/errors.js';
import { readModelCard } from '../../src/extract/model-card.js';
import { packageModel } from '../../src/extract/model-package.js';
import { modelReadme } from '../../src/extract/model-readme.js';
import { EnsembleExtractor, Extractor } from '../../src/extract/index.js';
import { saveModelDir } from '../../src/model/io.js';
import { modelPath, resolveModelRef } from '../../src/model/model-ref.js';
import { readWordVectorsText, wordVectorsFile, wordVectorsRecord } from '../../src/model/word-vectors.js';
import { checkDataFiles, loadConfig } from '../../src/train/config.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { tempDir } from '../temp-dir.js';
import { userError, userErrorAsync } from '../user-error.js';

const tmp = tempDir('entrel-package-');
const { model } = tinyJointModel({ torchSeed: 3, train: [10, 2], config: SMALL_DIMS });
const modelDir = join(tmp, 'tiny');
saveModelDir(modelDir, model, SCHEMA, {
  glove: false,
  name: 'tiny',
  version: '9.9.9',
  trainedOn: 'synthetic',
  metrics: { test: { entityF1: 12.5, file: '/data/test.json' } },
  trainConfig: { data: { train: ['/home/me/a.json', '/home/me/b.json'], dev: '/home/me/dev.json', format: 'unified' }, epochs: 3 },
});

/** `fn` throws (rejects with) a UserError with this message (its location included) and, when given, this field. */
function refused(fn: () => unknown, message: RegExp, field?: string): void {
  matches(userError(fn), message, field);
}

async function refusedAsync(fn: () => Promise<unknown>, message: RegExp, field?: string): Promise<void> {
  matches(await userErrorAsync(fn), message, field);
}

function matches(e: UserError, message: RegExp, field?: string): void {
  assert.match(e.message, message);
  if (field !== undefined) assert.equal(e.location.field, field);
}

/** A project directory with `pkg` installed under `name` (a copy, as `npm install` of a tarball leaves it). */
function project(name: string, pkg: string): string {
  const dir = tempDir('entrel-project-');
  cpSync(pkg, join(dir, 'node_modules', name), { recursive: true });
  return dir;
}

const out = join(tmp, 'pkg');
const r = await packageModel(modelDir, out, { name: '@acme/tiny-model', version: 'v1.2.3', license: 'MIT', author: 'Acme' });

describe('entrel package', () => {
  it('writes the model, an index exporting its path, types, a README and a package.json that says where the model is', () => {
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['README.md', 'index.js', 'index.d.ts', 'package.json', 'model/checksum', 'model/config.json', 'model/schema.json', 'model/vocab.json', 'model/weights.safetensors'],
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
    // npm overrides an unmet peer dependency (and removes the user's entrel): the model format's version says it.
    assert.deepEqual([pkg.dependencies, pkg.peerDependencies, pkg.entrel.formatVersion], [undefined, undefined, 1]);
    assert.match(pkg.description, /^An entrel model: PER, ORG, LOC entities and .*trained on synthetic$/);
    assert.match(readFileSync(join(out, 'index.js'), 'utf8'), /exports\.modelDir = join\(__dirname, "model"\);/);
  });

  it("gives the model the package's name and version, and its recorded paths as file names, with checksums that verify", () => {
    const card = readModelCard(join(out, 'model'));
    const meta = JSON.parse(readFileSync(join(out, 'model', 'config.json'), 'utf8')).meta;
    assert.deepEqual([meta.trainConfig.data, meta.trainConfig.epochs, meta.metrics.test.file], [{ train: ['a.json', 'b.json'], dev: 'dev.json', format: 'unified' }, 3, 'test.json']);
    assert.deepEqual(card.trainData, ['a.json', 'b.json']);
    assert.equal(card.name, '@acme/tiny-model');
    assert.equal(card.version, '1.2.3');
    const source = readModelCard(modelDir);
    assert.equal(source.name, 'tiny', 'the packaged model is left as it was');
    assert.deepEqual(card.tensors, source.tensors);
    assert.equal(readFileSync(join(out, 'model', 'weights.safetensors')).compare(readFileSync(join(modelDir, 'weights.safetensors'))), 0);
  });

  it("writes a README with the labels, the recorded scores, how to use the package and the packaged model's checksum", () => {
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /^# @acme\/tiny-model\n/);
    assert.match(readme, /npx entrel extract --model @acme\/tiny-model /);
    assert.match(readme, /\| entities \| PER, ORG, LOC \|/);
    assert.match(readme, /\| test \(test\.json\) \| entityF1 \| 12\.5 \|/);
    assert.match(readme, /\| word vectors \| none \(random initialisation\) \|/);
    assert.match(readme, /\| version \| 1\.2\.3 /);
    assert.match(readme, /BiLSTM \d+ per direction, 1 layer \|/);
    const sum = createHash('sha256').update(readFileSync(join(out, 'model', 'checksum'))).digest('hex');
    assert.match(readme, new RegExp(`\\| checksum \\| \`${sum}\``));
  });

  it("defaults to the model's own name and version, and warns that no license was given", async () => {
    const d = await packageModel(modelDir, join(tmp, 'defaults'));
    assert.equal(d.name, 'tiny');
    assert.equal(d.version, '9.9.9');
    assert.equal(d.warnings.length, 1);
    assert.match(d.warnings[0], /^no --license/);
    assert.equal(JSON.parse(readFileSync(join(tmp, 'defaults', 'package.json'), 'utf8')).license, undefined);
  });

  it('refuses a bad name or version, naming the field, and writes nothing', async () => {
    const dir = join(tmp, 'bad');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'Tiny Model' }), /"Tiny Model" is not a valid npm package name: .*URL-friendly/, 'name');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'entrel' }), /"entrel" is entrel's own name/, 'name');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'tiny', version: '1.0' }), /"1\.0" is not a semver version/, 'version');
    const unnamed = join(tmp, 'Unnamed Run');
    saveModelDir(unnamed, model, SCHEMA, { glove: false });
    await refusedAsync(() => packageModel(unnamed, dir), /the model's name "Unnamed Run" cannot be the package's \(not a valid npm package name\): give one with --name/, 'name');
    // A library caller's misspelt option, wrong type, or a license npm would not accept.
    await refusedAsync(() => packageModel(modelDir, dir, { nam: 'x' } as never), /unknown option "nam" \(allowed: name, version, description, license, author, withVectors\)/, 'options');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'tiny', license: 7 } as never), /must be a string, got 7/, 'license');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'tiny', withVectors: 'yes' } as never), /must be true or false, got "yes"/, 'withVectors');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'tiny', license: 'not a license (' }), /"not a license \(" is not a license npm accepts: an SPDX expression/, 'license');
    await refusedAsync(() => packageModel(modelDir, dir, { name: 'tiny', license: 'mit' }), /"mit" is not a license npm accepts \(did you mean "MIT"\?\)/, 'license');
    await refusedAsync(() => packageModel(modelDir, '', { name: 'tiny' }), /must be the package directory to write, got ""/, 'out');
    assert.equal(existsSync(dir), false);
    // Accepted: an SPDX expression, and the model named by a file: URL.
    const ok = await packageModel(pathToFileURL(modelDir), join(tmp, 'licensed'), { name: 'tiny', license: '(MIT OR Apache-2.0)' });
    assert.equal(JSON.parse(readFileSync(join(ok.dir, 'package.json'), 'utf8')).license, '(MIT OR Apache-2.0)');
  });

  it('refuses to write inside the model, around it, or over a directory of other files, which stay as they were', async () => {
    await refusedAsync(() => packageModel(modelDir, join(modelDir, 'pkg')), /would be written inside the model it packages/);
    await refusedAsync(() => packageModel(modelDir, tmp), /would be written around the model it packages/);
    const mine = join(tmp, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'mine');
    await refusedAsync(() => packageModel(modelDir, mine, { name: 'x' }), /holds "notes\.txt" and is not a model package: choose a new or empty directory/);
    assert.deepEqual(readdirSync(mine), ['notes.txt']);
    const dangling = join(tmp, 'dangling');
    symlinkSync(join(tmp, 'nowhere'), dangling);
    await refusedAsync(() => packageModel(modelDir, dangling, { name: 'x' }), /dangling: is a symbolic link to .*nowhere, which does not exist/);
    assert.equal(readModelCard(modelDir).name, 'tiny');
  });

  it("updates an earlier package: its model and entrel's files replaced, the user's own files and package.json fields kept", async () => {
    const again = join(tmp, 'again');
    await packageModel(modelDir, again, { name: 'tiny', version: '1.0.0', license: 'MIT' });
    mkdirSync(join(again, '.git'));
    writeFileSync(join(again, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(again, 'LICENSE'), 'MIT License\n');
    writeFileSync(join(again, 'model', 'stray'), 'left in the model folder');
    const pkg = JSON.parse(readFileSync(join(again, 'package.json'), 'utf8'));
    writeFileSync(join(again, 'package.json'), JSON.stringify({ ...pkg, repository: 'github:acme/tiny', files: [...pkg.files, 'LICENSE'], description: 'Mine.' }));
    const next = await packageModel(modelDir, again, { name: 'tiny', version: '1.0.1' });
    assert.deepEqual(next.warnings, [], 'the license given before is kept');
    const updated = JSON.parse(readFileSync(join(again, 'package.json'), 'utf8'));
    assert.deepEqual([updated.version, updated.repository, updated.description, updated.license], ['1.0.1', 'github:acme/tiny', 'Mine.', 'MIT']);
    assert.deepEqual(updated.files, ['index.js', 'index.d.ts', 'model', 'LICENSE']);
    assert.equal(readFileSync(join(again, '.git', 'HEAD'), 'utf8'), 'ref: refs/heads/main\n');
    assert.equal(readFileSync(join(again, 'LICENSE'), 'utf8'), 'MIT License\n');
    assert.equal(existsSync(join(again, 'model', 'stray')), false, 'the model folder is the model');
    assert.equal(readModelCard(join(again, 'model')).version, '1.0.1');
    assert.deepEqual(readdirSync(again).sort(), ['.git', 'LICENSE', 'README.md', 'index.d.ts', 'index.js', 'model', 'package.json']);
  });

  it("keeps an update's name and version unless given (saying so), writes its generated description anew, and replaces an earlier model folder", async () => {
    const pkgDir = join(tmp, 'renamed');
    await packageModel(modelDir, pkgDir, { name: '@me/keep', version: '2.3.0', license: 'MIT' });
    const other = join(tmp, 'other-model');
    saveModelDir(other, model, { ...SCHEMA, entityTypes: ['PER', 'ORG', 'LOC'] }, { glove: false, name: 'other', version: '0.0.1', trainedOn: 'other data' });
    // As an earlier entrel version might have left it: the model in another folder, an ES-module type.
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    renameSync(join(pkgDir, 'model'), join(pkgDir, 'weights'));
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ ...pkg, type: 'module', files: [...pkg.files, 'weights'], entrel: { ...pkg.entrel, model: 'weights' } }));
    const r = await packageModel(other, pkgDir);
    assert.deepEqual([r.name, r.version], ['@me/keep', '2.3.0']);
    assert.deepEqual(r.warnings, ['the version stays 2.3.0: give --version for a new release (npm refuses to publish a version twice)']);
    const now = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    assert.match(now.description, /trained on other data$/, 'the generated description is the new model\'s');
    assert.deepEqual([now.type, now.entrel.model], ['commonjs', 'model']);
    assert.deepEqual(now.files, ['index.js', 'index.d.ts', 'model'], 'the removed folder is no longer listed');
    assert.equal(existsSync(join(pkgDir, 'weights')), false, 'the earlier model folder is gone');
    assert.equal(readModelCard(join(pkgDir, 'model')).trainedOn, 'other data');
  });

  it("names an earlier package.json's bad name, and says when its bad version is replaced", async () => {
    const pkgDir = join(tmp, 'bad-earlier');
    await packageModel(modelDir, pkgDir, { name: 'bad-earlier', version: '1.0.0' });
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ ...pkg, name: 'My Model' }));
    await refusedAsync(() => packageModel(modelDir, pkgDir), /bad-earlier\/package\.json: name: its name "My Model" is not a valid npm package name: give one with --name/);
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ ...pkg, version: 'banana', files: [...pkg.files, 'weights/'] }));
    const r = await packageModel(modelDir, pkgDir);
    assert.deepEqual(r.warnings.filter((w) => /version/.test(w)), ['the earlier package.json\'s version "banana" is not a semver version: the package now has 9.9.9']);
  });

  it("leaves a folder of the user's that an earlier package.json named as its model", async () => {
    const pkgDir = join(tmp, 'user-folder');
    await packageModel(modelDir, pkgDir, { name: 'keep-src', version: '1.0.0' });
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    mkdirSync(join(pkgDir, 'src'));
    writeFileSync(join(pkgDir, 'src', 'notes.txt'), 'mine');
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ ...pkg, entrel: { ...pkg.entrel, model: 'src' } }));
    await packageModel(modelDir, pkgDir, { version: '1.0.1' });
    assert.equal(readFileSync(join(pkgDir, 'src', 'notes.txt'), 'utf8'), 'mine');
  });

  it("refuses an --out whose package.json cannot be read, naming it, and ignores a killed run's staging directory", async () => {
    const broken = join(tmp, 'broken-json');
    mkdirSync(broken);
    writeFileSync(join(broken, 'package.json'), '{ bad json');
    await refusedAsync(() => packageModel(modelDir, broken, { name: 'x' }), /broken-json\/package\.json: cannot read it \(.*\): fix it, or choose another --out/);
    writeFileSync(join(broken, 'package.json'), '[]');
    await refusedAsync(() => packageModel(modelDir, broken, { name: 'x' }), /package\.json: must be a JSON object, got an array/);
    const killed = join(tmp, 'killed');
    mkdirSync(join(killed, '.entrel-staging-999999'), { recursive: true });
    await packageModel(modelDir, killed, { name: 'x' });
    assert.deepEqual(readdirSync(killed).sort(), ['README.md', 'index.d.ts', 'index.js', 'model', 'package.json']);
  });

  it('through a symbolic link to an earlier package, updates the package the link leads to', async () => {
    const real = join(tmp, 'real-pkg');
    await packageModel(modelDir, real, { name: 'tiny', version: '1.0.0' });
    const link = join(tmp, 'link-pkg');
    symlinkSync(real, link);
    await packageModel(modelDir, link, { name: 'tiny', version: '2.0.0' });
    assert.ok(lstatSync(link).isSymbolicLink(), 'lstatSync(link).isSymbolicLink()');
    assert.equal(JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')).version, '2.0.0');
  });

  it('refuses a corrupt model before writing anything', async () => {
    const broken = join(tmp, 'broken');
    cpSync(modelDir, broken, { recursive: true });
    writeFileSync(join(broken, 'vocab.json'), '{}');
    await refusedAsync(() => packageModel(broken, join(tmp, 'from-broken'), { name: 'x' }), /checksum mismatch/);
    assert.equal(existsSync(join(tmp, 'from-broken')), false);
  });
});

const pkg = join(tmp, 'found');
await packageModel(modelDir, pkg, { name: '@acme/found', version: '1.0.0' });

describe('a model package found by name', () => {
  const proj = project('@acme/found', pkg);
  const deep = join(proj, 'src', 'deep');
  mkdirSync(deep, { recursive: true });

  it('from the project and from any directory below it, as Node resolves packages', () => {
    const want = join(proj, 'node_modules', '@acme', 'found', 'model');
    assert.equal(resolveModelRef('@acme/found', proj), want);
    assert.equal(resolveModelRef('@acme/found', deep), want);
  });

  it('while a directory holding a model is that model, and a file or another directory of the name does not hide the package', () => {
    mkdirSync(join(deep, 'tiny'));
    writeFileSync(join(deep, 'tiny', 'config.json'), '{}');
    assert.equal(resolveModelRef('tiny', deep), join(deep, 'tiny'));
    const shadow = tempDir('entrel-shadow-');
    cpSync(pkg, join(shadow, 'node_modules', 'shadowed'), { recursive: true });
    writeFileSync(join(shadow, 'shadowed'), 'a file of the same name');
    assert.equal(resolveModelRef('shadowed', shadow), join(shadow, 'node_modules', 'shadowed', 'model'));
    rmSync(join(shadow, 'shadowed'));
    mkdirSync(join(shadow, 'shadowed'));
    assert.equal(resolveModelRef('shadowed', shadow), join(shadow, 'node_modules', 'shadowed', 'model'));
    assert.equal(resolveModelRef('./no/such/dir', deep), join(deep, 'no', 'such', 'dir'), 'not a package name: left to the loader');
  });

  it('through a symlinked install (npm install DIR)', () => {
    const linked = tempDir('entrel-linked-');
    mkdirSync(join(linked, 'node_modules', '@acme'), { recursive: true });
    symlinkSync(pkg, join(linked, 'node_modules', '@acme', 'found'));
    assert.equal(readModelCard(resolveModelRef('@acme/found', linked)).name, '@acme/found');
  });

  it("and by the package's own directory, as `npm install ./dir` users have it", () => {
    assert.equal(resolveModelRef(pkg, deep), join(pkg, 'model'));
    assert.equal(modelPath(pkg), join(pkg, 'model'));
    assert.equal(modelPath(modelDir), modelDir, 'a model directory is kept as written');
  });

  it('says where it looked when the package is not installed: from the directory, then from where entrel is', () => {
    refused(() => resolveModelRef('@acme/missing', deep), /no model directory of that name \(.*missing\), nor an installed npm package "@acme\/missing" \(looked for node_modules\/@acme\/missing from .*deep and from .*model.? upward\)/);
  });

  it('with its missing model folder named as such through a symlinked install', () => {
    const linked = tempDir('entrel-linked-missing-');
    const source = join(linked, 'src-pkg');
    cpSync(pkg, source, { recursive: true });
    mkdirSync(join(linked, 'node_modules', '@acme'), { recursive: true });
    symlinkSync(source, join(linked, 'node_modules', '@acme', 'found'));
    renameSync(join(source, 'model'), join(source, 'model.bak'));
    refused(() => resolveModelRef('@acme/found', linked), /the package's model folder "model" is missing/, 'entrel.model');
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

  it('by Extractor.load and EnsembleExtractor.load, from the current directory', async () => {
    const was = process.cwd();
    process.chdir(deep);
    try {
      const ex = await Extractor.load('@acme/found', { workers: 0 });
      assert.equal(ex.info().name, '@acme/found');
      assert.equal(ex.info().version, '1.0.0');
      await ex.close();
      await assert.rejects(EnsembleExtractor.load(['@acme/found', join(proj, 'node_modules', '@acme', 'found', 'model')]), /is the same model directory as modelDirs\[0\] \(@acme\/found\)/);
      const ensemble = await EnsembleExtractor.load(['@acme/found', modelDir], { workers: 0 });
      assert.equal(ensemble.info().entityTypes.length, 3);
      await ensemble.close();
    } finally {
      process.chdir(was);
    }
  });

  it("by a training config's init, relative to the config file, and a missing one names the key", () => {
    const file = join(deep, 'mrt.json');
    writeFileSync(file, JSON.stringify({ data: { train: file, dev: file }, init: '@acme/found' }));
    const config = loadConfig(file);
    assert.equal(config.init, join(proj, 'node_modules', '@acme', 'found', 'model'));
    assert.equal(loadConfig(file, [`init=${pkg}`]).init, join(pkg, 'model'), "a package's directory: its model folder");
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

  it('leaves the vectors out with a warning, or takes them with --with-vectors', async () => {
    const without = await packageModel(own, join(src, 'without'), { license: 'MIT' });
    assert.equal(without.warnings.length, 1);
    assert.match(without.warnings[0], /through its own word vectors \(.*domain\.vec, \d+ bytes\), which the package does not hold: .*--with-vectors/);
    const withIt = await packageModel(own, join(src, 'with'), { license: 'MIT', withVectors: true });
    assert.deepEqual(withIt.warnings, []);
    assert.ok(withIt.files.some((f) => f.path === 'model/domain.vec'), 'withIt.files.some((f) => f.path === \'model/domain.vec\')');
    // The package publishes file names, not the author's directories; the model finds its vectors by name and fingerprint.
    const config = readFileSync(join(src, 'with', 'model', 'config.json'), 'utf8');
    assert.ok(!config.includes(src), 'no path of the author\'s machine');
    assert.equal(JSON.parse(config).meta.embeddings.file, 'domain.vec');
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
      // A model directory given relative to the current directory (evaluateModel, predictToFile take it so).
      const was = process.cwd();
      process.chdir(src);
      try {
        const rec = readModelCard(join(src, 'with', 'model')).embeddings!;
        assert.equal(wordVectorsFile(rec, join('with', 'model')), join('with', 'model', 'domain.vec'));
      } finally {
        process.chdir(was);
      }
    } finally {
      renameSync(`${vectors}.moved`, vectors);
    }
  });

  it('refuses --with-vectors for a model without vectors of its own', async () => {
    await refusedAsync(() => packageModel(modelDir, join(src, 'none'), { withVectors: true }), /--with-vectors: the model has no word vectors of its own \(it was trained without pretrained vectors\)/);
  });
});

describe('the package README', () => {
  it("writes a model's labels into table cells in linear time: a long run of spaces without a line end (was quadratic)", () => {
    const card = readModelCard();
    const long = `Org${' '.repeat(100_000)}x`;
    const t0 = performance.now();
    const readme = modelReadme({ ...card, entityTypes: [long, 'Peop\n  \nLoc'] }, { name: 'm', version: '1.0.0', description: 'd', withVectors: false });
    assert.ok(performance.now() - t0 < 1000, `${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(readme.includes(`| entities | ${long}, Peop Loc |`), 'the spaces kept, the line ends one space');
  });
});
