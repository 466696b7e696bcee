/**
 * `entrel package`: a trained model as an npm package, the way spaCy ships models as pip packages. The
 * package holds the model directory (`model/`, checksums verified before and after the copy), an
 * `index.js` exporting its path, types, and a README made from the model card; its package.json's
 * `"entrel"` field is how `--model NAME` and `Extractor.load(NAME)` find the model once the package is
 * installed (model/model-ref.ts). `npm install`, `npm pack` or `npm publish` the written directory.
 * Nothing here loads libtorch.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import validateName from 'validate-npm-package-name';
import { writeDirAtomicSync } from '../data/atomic.js';
import { makeDirs } from '../data/io.js';
import { UserError } from '../errors.js';
import { MODEL_FILES, MODEL_FORMAT, MODEL_FORMAT_VERSION, readModelDir, writeChecksum } from '../model/io.js';
import { PACKAGE_FIELD } from '../model/model-ref.js';
import { vectorsFingerprint } from '../model/vectors-file.js';
import { ENTREL_VERSION } from '../model/version.js';
import type { WordVectorsRecord } from '../model/word-vectors.js';
import { readModelCard, type ModelCard } from './model-card.js';
import { modelDirOrDefault } from './model-info.js';
import { modelReadme } from './model-readme.js';

export interface PackageOptions {
  /** The npm package name (default: the model's name, when it is a valid one). */
  name?: string;
  /** A semver version (default: the model's, when it is one, else 1.0.0). */
  version?: string;
  description?: string;
  /** package.json's `license` (an SPDX expression, `UNLICENSED`, or `SEE LICENSE IN <file>`). */
  license?: string;
  author?: string;
  /** Copy the model's own word vectors (config `embeddings`) into the package, for words it was not trained on. */
  withVectors?: boolean;
}

export interface PackageResult {
  /** The package directory written, absolute. */
  dir: string;
  name: string;
  version: string;
  /** Every file written, relative to `dir`, with its size. */
  files: { path: string; bytes: number }[];
  bytes: number;
  /** What a user of the package will miss (no license, word vectors left out). */
  warnings: string[];
}

/** The folder of the model inside the package. */
const MODEL_FOLDER = 'model';

/** Writes the model `model` (a directory or installed package; default: the bundled one) as a package in `out`. */
export function packageModel(model: string | undefined, out: string, opts: PackageOptions = {}): PackageResult {
  const source = modelDirOrDefault(model);
  const card = readModelCard(source);
  const name = packageName(opts.name, card);
  const version = packageVersion(opts.version, card);
  const dir = resolve(out);
  refuseTarget(dir, source);
  const warnings: string[] = [];
  const vectors = vectorsToCopy(card, opts.withVectors === true, warnings);
  if (opts.license === undefined) warnings.push('no --license: the package says nothing of whether others may use the model (npm shows it as unlicensed)');
  const pkg = packageJson(name, version, card, opts);
  writeDirAtomicSync(dir, 'the model package', (tmp) => {
    const modelDir = join(tmp, MODEL_FOLDER);
    makeDirs(modelDir);
    for (const f of [...MODEL_FILES, 'checksum']) copyFileSync(join(source, f), join(modelDir, f));
    readModelDir(modelDir); // the copy verified against the model's checksums, before they are renewed
    renameModel(modelDir, name, version);
    if (vectors) copyVectors(vectors, join(modelDir, basename(card.embeddings!.file)), card.embeddings!);
    writeFileSync(join(tmp, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    writeFileSync(join(tmp, 'index.js'), indexJs(name, version));
    writeFileSync(join(tmp, 'index.d.ts'), INDEX_D_TS);
    writeFileSync(join(tmp, 'README.md'), modelReadme(card, { name, version, description: pkg.description, withVectors: vectors !== undefined }));
  });
  const files = listFiles(dir);
  return { dir, name, version, files, bytes: files.reduce((n, f) => n + f.bytes, 0), warnings };
}

function packageName(given: string | undefined, card: ModelCard): string {
  if (given === undefined) {
    if (validateName(card.name).validForNewPackages) return card.name;
    throw new UserError(`the model's name ${JSON.stringify(card.name)} is not a valid npm package name: give one with --name (e.g. --name @you/entrel-model)`, { file: card.dir, field: 'name' });
  }
  const v = validateName(given);
  if (!v.validForNewPackages)
    throw new UserError(`${JSON.stringify(given)} is not a valid npm package name: ${[...(v.errors ?? []), ...(v.warnings ?? [])].join('; ')}`, { field: 'name' });
  return given;
}

function packageVersion(given: string | undefined, card: ModelCard): string {
  if (given === undefined) return semver.valid(card.version) ?? '1.0.0';
  const v = semver.valid(given);
  if (v === null) throw new UserError(`${JSON.stringify(given)} is not a semver version (MAJOR.MINOR.PATCH, e.g. 1.0.0)`, { field: 'version' });
  return v;
}

/**
 * The package replaces `dir` whole: refused where that would lose something, i.e. anything but an empty
 * directory or a model package written before, and inside (or around) the model being packaged.
 */
function refuseTarget(dir: string, source: string): void {
  const real = (p: string) => {
    let tail = '';
    while (!existsSync(p) && dirname(p) !== p) [tail, p] = [join(basename(p), tail), dirname(p)];
    return join(realpathSync(p), tail);
  };
  const within = (a: string, b: string) => {
    const r = relative(b, a);
    return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
  };
  const [d, s] = [real(dir), real(source)];
  if (within(d, s) || within(s, d))
    throw new UserError(`the package would ${within(d, s) ? 'be written inside' : 'replace a directory holding'} the model it packages (${source}): choose another --out`, { file: dir });
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) return; // the writer names the file in the way
  const names = readdirSync(dir);
  if (names.length === 0 || isModelPackage(dir)) return;
  throw new UserError(`holds ${names.length} file${names.length === 1 ? '' : 's'} and is not a model package: the package replaces the whole directory, so choose a new or empty one`, { file: dir });
}

function isModelPackage(dir: string): boolean {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return typeof json[PACKAGE_FIELD] === 'object' && json[PACKAGE_FIELD] !== null;
  } catch {
    return false;
  }
}

/** The word-vectors file to copy, if any; a model that needs one and goes without it is warned of. */
function vectorsToCopy(card: ModelCard, wanted: boolean, warnings: string[]): string | undefined {
  const e = card.embeddings;
  if (!e) {
    if (wanted) throw new UserError(`--with-vectors: the model has no word vectors of its own (${card.glove ? 'it reads unseen words through GloVe, which entrel installs' : 'it was trained without pretrained vectors'})`, { file: card.dir });
    return undefined;
  }
  const size = `${(e.bytes / 1e6).toFixed(1)} MB`;
  if (!wanted) {
    warnings.push(`the model reads words it was not trained on through its own word vectors (${e.file}, ${size}), which the package does not hold: its users need them (ENTREL_EMBEDDINGS), or package them with --with-vectors`);
    return undefined;
  }
  if (!e.foundAt) throw new UserError(`--with-vectors: the model's word vectors are not usable here: ${e.problem}`, { file: card.dir });
  if ((MODEL_FILES as readonly string[]).includes(basename(e.file)) || basename(e.file) === 'checksum')
    throw new UserError(`--with-vectors: the word-vectors file is named like a model file (${basename(e.file)}): rename it and retrain, or package without it`, { file: e.file });
  return e.foundAt;
}

/** The vectors copied, and checked as the model will check them when it loads. */
function copyVectors(from: string, to: string, rec: WordVectorsRecord): void {
  copyFileSync(from, to);
  if (statSync(to).size !== rec.bytes || vectorsFingerprint(to) !== rec.fingerprint)
    throw new UserError('the word vectors changed while they were copied: package again', { file: from });
}

/** The package's name and version become the model's (`Extractor.info()`, `GET /v1/model`), checksums renewed. */
function renameModel(modelDir: string, name: string, version: string): void {
  const file = join(modelDir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { meta?: Record<string, unknown> };
  config.meta = { ...config.meta, name, version };
  writeFileSync(file, JSON.stringify(config, null, 1) + '\n');
  writeChecksum(modelDir);
}

function packageJson(name: string, version: string, card: ModelCard, opts: PackageOptions) {
  const relations = card.relationTypes.map((r) => r.name).join(', ');
  return {
    name,
    version,
    description: opts.description ?? `An entrel model: ${card.entityTypes.join(', ')} entities and ${relations} relations${card.trainedOn ? `, trained on ${card.trainedOn}` : ''}`,
    keywords: ['entrel', 'entrel-model', 'relation-extraction', 'named-entity-recognition', 'information-extraction'],
    ...(opts.license !== undefined && { license: opts.license }),
    ...(opts.author !== undefined && { author: opts.author }),
    main: 'index.js',
    types: 'index.d.ts',
    exports: { '.': { types: './index.d.ts', default: './index.js' }, './package.json': './package.json' },
    files: ['index.js', 'index.d.ts', MODEL_FOLDER],
    // Optional: installing the model must not fetch entrel, but an entrel too old to read it is refused.
    peerDependencies: { entrel: `>=${ENTREL_VERSION}` },
    peerDependenciesMeta: { entrel: { optional: true } },
    [PACKAGE_FIELD]: { model: MODEL_FOLDER, format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, writtenBy: ENTREL_VERSION },
  };
}

/** CommonJS, so that both `require` and `import` give the named exports. */
function indexJs(name: string, version: string): string {
  return [
    "'use strict';",
    '// An entrel model package (`entrel package`): the model directory it holds, for Extractor.load() or --model.',
    "const { join } = require('node:path');",
    `exports.modelDir = join(__dirname, ${JSON.stringify(MODEL_FOLDER)});`,
    `exports.name = ${JSON.stringify(name)};`,
    `exports.version = ${JSON.stringify(version)};`,
    '',
  ].join('\n');
}

const INDEX_D_TS = `/** The absolute path of the entrel model directory this package holds (Extractor.load(modelDir)). */
export declare const modelDir: string;
/** The package's (and the model's) name. */
export declare const name: string;
export declare const version: string;
`;

function listFiles(dir: string, prefix = ''): { path: string; bytes: number }[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? listFiles(dir, path) : [{ path, bytes: statSync(join(dir, path)).size }];
    });
}
