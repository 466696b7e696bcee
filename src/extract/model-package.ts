/**
 * `entrel package`: a trained model as an npm package, the way spaCy ships models as pip packages. The
 * package holds the model directory (`model/`, the copy checked against the model's checksums, then
 * given the package's name and version), an `index.js` exporting its path, types, and a README made from
 * the packaged model's card; its package.json's `"entrel"` field is how `--model NAME` and
 * `Extractor.load(NAME)` find the model once the package is installed (model/model-ref.ts). `npm
 * install`, `npm pack` or `npm publish` the written directory. Nothing here loads libtorch.
 */
import { copyFileSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import semver from 'semver';
import validateLicense from 'validate-npm-package-license';
import validateName from 'validate-npm-package-name';
import { byteSize } from '../data/byte-size.js';
import { isWithin, makeDirs } from '../data/dirs.js';
import { writeTogether } from '../data/staging.js';
import { checkOptions, described, quote, UserError } from '../errors.js';
import { MODEL_FILES, MODEL_FORMAT, MODEL_FORMAT_VERSION, readModelDir, writeChecksum } from '../model/io.js';
import { modelRefArg, PACKAGE_FIELD, type ModelRef } from '../model/model-ref.js';
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
  /** package.json's description (default: an earlier package's own description, else one entrel writes from the labels and training). */
  description?: string;
  /** package.json's `license` (an SPDX expression, `UNLICENSED`, or `SEE LICENSE IN <file>`). */
  license?: string;
  /** package.json's author (default: an earlier package's). */
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

/** What `entrel package` writes into the package directory; anything else there is the user's and stays. */
const WRITTEN = ['README.md', 'index.js', 'index.d.ts', 'package.json', MODEL_FOLDER];

/**
 * Writes the model `model` (a directory or package; default: the bundled one) as a package in `out`: a new
 * or empty directory, or an earlier model package, whose own files (a LICENSE, .git, a CHANGELOG) and
 * package.json fields stay. The package's files are moved into place together (data/staging.ts).
 */
export async function packageModel(model: ModelRef | undefined, out: string, opts: PackageOptions = {}): Promise<PackageResult> {
  checkPackageOptions(opts);
  opts ??= {};
  if (typeof out !== 'string' || out === '') throw new UserError(`must be the package directory to write, got ${described(out)}`, { field: 'out' });
  const source = modelDirOrDefault(modelRefArg(model, 'model'));
  const card = readModelCard(source);
  const dir = resolve(out);
  const earlier = refuseTarget(dir, source);
  // Updating a package: its name and version stay unless given.
  const earlierName = opts.name === undefined && typeof earlier?.name === 'string' ? earlier.name : undefined;
  if (earlierName !== undefined && !validateName(earlierName).validForNewPackages)
    throw new UserError(`its name ${JSON.stringify(earlierName)} is not a valid npm package name: give one with --name (the name option)`, { file: join(dir, 'package.json'), field: 'name' });
  const name = packageName(opts.name ?? earlierName, card);
  const earlierVersion = typeof earlier?.version === 'string' && semver.valid(earlier.version) ? earlier.version : undefined;
  const version = packageVersion(opts.version ?? earlierVersion, card);
  const warnings: string[] = [];
  if (earlier && opts.version === undefined && earlier.version !== undefined && earlierVersion === undefined)
    warnings.push(`the earlier package.json's version ${JSON.stringify(earlier.version)} is not a semver version: the package now has ${version}`);
  const vectors = vectorsToCopy(card, opts.withVectors === true, warnings);
  // An earlier package's model in another folder is replaced by this one's (a folder of model files only).
  const before = (earlier?.[PACKAGE_FIELD] as { model?: unknown } | undefined)?.model;
  const obsolete = typeof before === 'string' && before !== MODEL_FOLDER && !WRITTEN.includes(before) && /^[\w-][\w.-]*$/.test(before) && onlyModelFiles(join(dir, before)) ? [before] : [];
  const pkg = packageJson(name, version, card, opts, earlier, obsolete);
  if (pkg.license === undefined) warnings.push('no --license: the package says nothing of whether others may use the model (npm shows it as unlicensed)');
  if (earlierVersion !== undefined && opts.version === undefined) warnings.push(`the version stays ${version}: give --version for a new release (npm refuses to publish a version twice)`);
  // A step at a time, so that Ctrl-C (handled between event-loop turns) can stop a long copy: the staging
  // directory is then removed and the earlier package left as it was.
  const step = () => new Promise<void>((r) => setImmediate(r));
  await writeTogether(dir, async (staging) => {
    const modelDir = join(staging, MODEL_FOLDER);
    makeDirs(modelDir);
    for (const f of [...MODEL_FILES, 'checksum']) {
      copyFileSync(join(source, f), join(modelDir, f));
      await step();
    }
    readModelDir(modelDir); // the copy verified against the model's checksums, before they are renewed
    renameModel(modelDir, name, version);
    if (vectors) copyVectors(vectors, join(modelDir, basename(card.embeddings!.file)), card.embeddings!);
    await step();
    writeFileSync(join(staging, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    writeFileSync(join(staging, 'index.js'), indexJs(name, version));
    writeFileSync(join(staging, 'index.d.ts'), INDEX_D_TS);
    // The card of the model as packaged: its name, version and checksum are the package's.
    writeFileSync(join(staging, 'README.md'), modelReadme(readModelCard(modelDir), { name, version, description: pkg.description, withVectors: vectors !== undefined }));
  }, obsolete);
  const files = WRITTEN.flatMap((f) => listFiles(dir, f));
  return { dir, name, version, files, bytes: files.reduce((n, f) => n + f.bytes, 0), warnings };
}

const PACKAGE_OPTIONS: readonly (keyof PackageOptions)[] = ['name', 'version', 'description', 'license', 'author', 'withVectors'];

/** A library caller's options: known names, strings, a boolean, a license npm accepts. */
function checkPackageOptions(opts: PackageOptions | null | undefined): void {
  checkOptions(opts, 'options', PACKAGE_OPTIONS);
  for (const key of ['name', 'version', 'description', 'license', 'author'] as const) {
    const v = opts?.[key];
    if (v !== undefined && typeof v !== 'string') throw new UserError(`must be a string, got ${described(v)}`, { field: key });
  }
  if (opts?.withVectors !== undefined && typeof opts.withVectors !== 'boolean') throw new UserError(`must be true or false, got ${described(opts.withVectors)}`, { field: 'withVectors' });
  // npm's own check of package.json's license: an SPDX expression, UNLICENSED, or SEE LICENSE IN <file>.
  const license = opts?.license === undefined ? undefined : validateLicense(opts.license);
  if (license && !license.validForNewPackages) {
    // npm's own hint, e.g. `license should be a valid SPDX license expression … similar to the valid expression "MIT"`.
    const similar = license.warnings?.map((w) => /similar to the valid expression "([^"]+)"/.exec(w)?.[1]).find((x) => x !== undefined);
    throw new UserError(`${quote(opts!.license)} is not a license npm accepts${similar ? ` (did you mean "${similar}"?)` : ''}: an SPDX expression (MIT, Apache-2.0, CC-BY-4.0, (MIT OR Apache-2.0)), UNLICENSED, or SEE LICENSE IN <file>`, { field: 'license' });
  }
}

function packageName(given: string | undefined, card: ModelCard): string {
  if (given === undefined) {
    if (validateName(card.name).validForNewPackages && card.name !== 'entrel') return card.name;
    throw new UserError(`the model's name ${JSON.stringify(card.name)} cannot be the package's (${card.name === 'entrel' ? "it is entrel's own" : 'not a valid npm package name'}): give one with --name (the name option; e.g. @you/entrel-model)`, { file: card.dir, field: 'name' });
  }
  if (given === 'entrel') throw new UserError('"entrel" is entrel\'s own name: installed, the model would replace entrel', { field: 'name' });
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
 * Where the package may not go: inside (or around) the model being packaged, a dangling symbolic link, or a
 * directory holding other things that is not a model package. Returns the earlier package's package.json
 * (its fields are kept), if there is one.
 */
function refuseTarget(dir: string, source: string): Record<string, unknown> | undefined {
  let link: string | undefined;
  try {
    if (lstatSync(dir).isSymbolicLink()) link = readlinkSync(dir);
  } catch {
    // absent
  }
  if (link !== undefined && !existsSync(dir)) throw new UserError(`is a symbolic link to ${link}, which does not exist`, { file: dir });
  const real = (p: string) => {
    let tail = '';
    while (!existsSync(p) && dirname(p) !== p) [tail, p] = [join(basename(p), tail), dirname(p)];
    return join(realpathSync(p), tail);
  };
  const [d, s] = [real(dir), real(source)];
  if (isWithin(d, s) || isWithin(s, d))
    throw new UserError(`the package would ${isWithin(d, s) ? 'be written inside' : 'be written around'} the model it packages (${source}): choose another --out`, { file: dir });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined; // a file in the way: the writer names it
  // A killed run's staging directory is entrel's own leftover, which the write removes.
  const names = readdirSync(dir).filter((n) => !n.startsWith('.entrel-staging-'));
  if (names.length === 0) return undefined;
  const earlier = readPackageJson(dir);
  if (earlier && typeof earlier[PACKAGE_FIELD] === 'object' && earlier[PACKAGE_FIELD] !== null) return earlier;
  throw new UserError(
    `holds ${quote(names[0])}${names.length > 1 ? ` and ${names.length - 1} more` : ''} and is not a model package: choose a new or empty directory (or an earlier model package, which is updated)`,
    { file: dir },
  );
}

/** The directory's package.json, if it has one; one that cannot be read is an error naming it (it may be an earlier package's). */
function readPackageJson(dir: string): Record<string, unknown> | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read it (${(e as Error).message}): fix it, or choose another --out`, { file });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UserError(`must be a JSON object, got ${described(json)}: fix it, or choose another --out`, { file });
  return json as Record<string, unknown>;
}

/** Whether `folder` holds a model's files and nothing else (its word vectors aside): safe to replace. */
function onlyModelFiles(folder: string): boolean {
  try {
    const names = readdirSync(folder);
    const model = new Set<string>([...MODEL_FILES, 'checksum']);
    if (![...model].every((f) => names.includes(f))) return false;
    const others = names.filter((n) => !model.has(n));
    const vectors = (JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { meta?: { embeddings?: { file?: unknown } } } | null)?.meta?.embeddings?.file;
    return others.every((n) => typeof vectors === 'string' && n === basename(vectors) && statSync(join(folder, n)).isFile());
  } catch {
    return false; // not readable as a model folder: not ours to remove
  }
}

/** The word-vectors file to copy, if any; a model that needs one and goes without it is warned of. */
function vectorsToCopy(card: ModelCard, wanted: boolean, warnings: string[]): string | undefined {
  const e = card.embeddings;
  if (!e) {
    if (wanted) throw new UserError(`--with-vectors: the model has no word vectors of its own (${card.glove ? 'it reads unseen words through GloVe, which entrel installs' : 'it was trained without pretrained vectors'})`, { file: card.dir });
    return undefined;
  }
  const size = byteSize(e.bytes);
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

/**
 * The package's name and version become the model's (`Extractor.info()`, `GET /v1/model`), and the paths
 * it recorded become file names (a package must not publish its author's directories; a model finds its
 * word vectors by name and fingerprint), checksums renewed.
 */
function renameModel(modelDir: string, name: string, version: string): void {
  const file = join(modelDir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { meta?: Record<string, unknown> };
  config.meta = { ...fileNamesOnly(config.meta ?? {}), name, version };
  writeFileSync(file, JSON.stringify(config, null, 1) + '\n');
  writeChecksum(modelDir);
}

/**
 * package.json: an earlier package's fields kept (repository, homepage, its own `files` entries, …), with
 * what this model makes true written over them. entrel is no dependency: installing a model must not
 * fetch entrel, and the model format's version (checked at load) says which entrel reads it.
 */
function packageJson(name: string, version: string, card: ModelCard, opts: PackageOptions, earlier: Record<string, unknown> = {}, removed: readonly string[] = []) {
  const relations = card.relationTypes.map((r) => r.name).join(', ');
  const generated = `${GENERATED}${card.entityTypes.join(', ')} entities and ${relations} relations${card.trainedOn ? `, trained on ${card.trainedOn}` : ''}`;
  const kept = (key: string) => (typeof earlier[key] === 'string' ? (earlier[key] as string) : undefined);
  // A description entrel wrote describes the earlier model: written anew; the user's own is kept.
  const ownDescription = kept('description')?.startsWith(GENERATED) ? undefined : kept('description');
  const files = [earlier.files ?? []].flat().filter((f): f is string => typeof f === 'string' && !removed.includes(f.replace(/^\.\/|\/$/g, '')));
  const keywords = Array.isArray(earlier.keywords) ? earlier.keywords.filter((k): k is string => typeof k === 'string') : [];
  const license = opts.license ?? kept('license');
  const author = opts.author ?? earlier.author;
  return {
    ...earlier,
    name,
    version,
    description: opts.description ?? ownDescription ?? generated,
    keywords: [...new Set(['entrel', 'entrel-model', 'relation-extraction', 'named-entity-recognition', 'information-extraction', ...keywords])],
    ...(license !== undefined && { license }),
    ...(author !== undefined && { author }),
    // index.js is CommonJS whatever an earlier package.json said.
    type: 'commonjs',
    main: 'index.js',
    types: 'index.d.ts',
    exports: { '.': { types: './index.d.ts', default: './index.js' }, './package.json': './package.json' },
    files: [...new Set(['index.js', 'index.d.ts', MODEL_FOLDER, ...files])],
    [PACKAGE_FIELD]: { model: MODEL_FOLDER, format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, writtenBy: ENTREL_VERSION },
  };
}

/** `meta` with the paths entrel records (training data, init, word vectors, scored files) cut to file names. */
function fileNamesOnly(meta: Record<string, unknown>): Record<string, unknown> {
  const name = (v: unknown) => (typeof v === 'string' ? v.split(/[\\/]/).pop() : v);
  const names = (v: unknown) => (Array.isArray(v) ? v.map(name) : name(v));
  const object = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const out = { ...meta };
  const train = object(meta.trainConfig);
  if (train) {
    const data = object(train.data);
    out.trainConfig = {
      ...train,
      ...(data && { data: { ...data, ...Object.fromEntries(['train', 'dev', 'test', 'types'].filter((k) => k in data).map((k) => [k, names(data[k])])) } }),
      ...('init' in train && { init: name(train.init) }),
      ...('embeddings' in train && { embeddings: name(train.embeddings) }),
    };
  }
  const embeddings = object(meta.embeddings);
  if (embeddings) out.embeddings = { ...embeddings, file: name(embeddings.file) };
  const metrics = object(meta.metrics);
  if (metrics)
    out.metrics = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, object(v) && 'file' in object(v)! ? { ...object(v), file: name(object(v)!.file) } : v]));
  return out;
}

/** How the description entrel writes begins (one of the user's own does not, and is kept). */
const GENERATED = 'An entrel model: ';

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

/** `path` (a file or a folder of the package) as the files it holds, with their sizes. */
function listFiles(dir: string, path: string): { path: string; bytes: number }[] {
  const full = join(dir, path);
  if (!statSync(full).isDirectory()) return [{ path, bytes: statSync(full).size }];
  return readdirSync(full)
    .sort()
    .flatMap((name) => listFiles(dir, `${path}/${name}`));
}
