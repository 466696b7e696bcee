/**
 * What `--model X` (and `Extractor.load(X)`, a config's `init`) names: a model directory, a model package's
 * directory (`entrel package` output, e.g. `./my-package`), or the name of an installed model package,
 * found as Node finds packages (`node_modules/X` in the directory and each one above it), from the
 * current directory and then from where entrel itself is installed (the project that has entrel has
 * its model packages beside it, wherever the process was started). A package's `package.json` says where
 * its model is (`"entrel": {"model": …}`). A directory that holds a model (or a model package) wins over a
 * name; a file, or a directory of something else, does not hide an installed package of that name.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isWithin } from '../data/dirs.js';
import { ownModuleUrl } from '../data/package-dir.js';
import { fileURLToPath } from 'node:url';
import validateName from 'validate-npm-package-name';
import { described, UserError } from '../errors.js';
import { MAX_JSON_BYTES, readBoundedFile } from './bounded-read.js';

/** The bundled model, found relative to this file (src/model/ or dist/model/), not the cwd. */
export const BUNDLED_MODEL_DIR = fileURLToPath(new URL('../../models/conll04', ownModuleUrl(import.meta.url)));

/** The `package.json` field of a model package, and the folder of its model. */
export const PACKAGE_FIELD = 'entrel';

/** Where entrel itself is (src/model/ or dist/model/ of its package): the second place names are looked up from. */
const ENTREL_DIR = fileURLToPath(new URL('.', ownModuleUrl(import.meta.url)));

/** What a library caller names a model by: a path or package name, or a `file:` URL (object or string), as Node's fs takes them. */
export type ModelRef = string | URL;

/**
 * A library caller's model argument as a path or package name; undefined or null: none given (the
 * bundled model). `new URL('./model', import.meta.url)` is how an ES module names a file it ships.
 */
export function modelRefArg(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  // A string URL of another scheme, or a relative `file:` one (npm's `file:../x`), would be read as a path.
  if (typeof value === 'string' && /^[a-z][a-z\d+.-]*:/i.test(value) && !/^file:\/\//i.test(value) && !/^[a-z]:[\\/]/i.test(value))
    throw new UserError(`must be a path, a package name or a file:// URL, got ${quoteUrl(value)}`, { field });
  if (value instanceof URL || (typeof value === 'string' && /^file:/i.test(value))) {
    try {
      return fileURLToPath(value);
    } catch (e) {
      throw new UserError(`must be a file: URL of a model directory, got ${quoteUrl(value)} (${(e as Error).message})`, { field });
    }
  }
  if (typeof value !== 'string') throw new UserError(`must be a model directory (a path or file: URL) or an installed model package's name, got ${described(value)}`, { field });
  if (value === '') throw new UserError('is empty: name a model directory or package (or leave it out for the bundled model)', { field });
  return value;
}

const quoteUrl = (u: URL | string) => JSON.stringify(String(u));

/** Whether `ref` could be an npm package name (old rules too: capitals were once allowed). */
function isPackageName(ref: string): boolean {
  const v = validateName(ref);
  return v.validForNewPackages || v.validForOldPackages;
}

/**
 * The absolute model directory `ref` names, relative to `base`: the path when it exists (a package's
 * directory: its model folder), else the model of the installed package of that name; a name that is
 * neither is a UserError saying where it looked. Anything else (a path that is not there) is returned
 * resolved, for the loader's own "not found".
 */
export function resolveModelRef(ref: string, base = process.cwd()): string {
  const found = locateModel(ref, base);
  if (found !== undefined) return found;
  if (!isPackageName(ref)) return resolve(base, ref);
  throw new UserError(
    `no model directory of that name (${resolve(base, ref)}), nor an installed npm package "${ref}" (looked for node_modules/${ref} from ${[...new Set([resolve(base), ENTREL_DIR])].join(' and from ')} upward): name a model directory, or \`npm install\` the model package`,
    { file: ref },
    'ENTREL_MODEL_NOT_FOUND',
  );
}

/**
 * `ref` as the caller wrote it when it is the model directory itself (errors then name it so), else the
 * directory it names (`resolveModelRef`).
 */
export function modelPath(ref: string): string {
  const dir = resolveModelRef(ref);
  return dir === resolve(ref) ? ref : dir;
}

/** The model directory `ref` names, or undefined when no path or installed package has that name. */
export function locateModel(ref: string, base: string): string | undefined {
  const path = resolve(base, ref);
  const here = existsSync(path) ? (packageDirModel(path) ?? path) : undefined;
  if (here !== undefined && (!isPackageName(ref) || holdsModel(here))) return here;
  if (isPackageName(ref))
    for (const from of [base, ENTREL_DIR]) {
      const pkg = installedPackage(ref, from);
      if (pkg !== undefined) return packageModelDir(pkg, ref, true);
    }
  return here;
}

/** Whether `dir` is a directory with a model's config (complete or not: the loader names what is missing). */
function holdsModel(dir: string): boolean {
  return statSync(dir).isDirectory() && existsSync(join(dir, 'config.json'));
}

/** A model package's own directory (package.json with the field, no model files) as its model folder. */
function packageDirModel(path: string): string | undefined {
  if (!statSync(path).isDirectory() || existsSync(join(path, 'config.json')) || !existsSync(join(path, 'package.json'))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readBoundedFile(join(path, 'package.json'), 'package.json', MAX_JSON_BYTES).toString('utf8'));
  } catch {
    return undefined; // not a model package: the loader says what is missing
  }
  return json !== null && typeof json === 'object' && PACKAGE_FIELD in json ? packageModelDir(path, path, false) : undefined;
}

/** The directory of the installed package `name` seen from `base`, as Node's resolution walks up. */
function installedPackage(name: string, base: string): string | undefined {
  for (let dir = resolve(base); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The model folder a model package's package.json names, which must be inside the package (`installed`: under node_modules). */
function packageModelDir(pkgDir: string, name: string, installed: boolean): string {
  const file = join(pkgDir, 'package.json');
  let json: unknown;
  try {
    json = JSON.parse(readBoundedFile(file, 'package.json', MAX_JSON_BYTES).toString('utf8'));
  } catch (e) {
    if (e instanceof UserError) throw e; // not a regular file, or too large: it says so, naming the file
    throw new UserError(`cannot read the package.json of package "${name}": ${(e as Error).message}`, { file });
  }
  const field = (json as Record<string, unknown> | null)?.[PACKAGE_FIELD];
  const model = (field as Record<string, unknown> | null | undefined)?.model;
  const where = { file, field: `${PACKAGE_FIELD}.model` };
  if (field === undefined)
    throw new UserError(`package "${name}" is not an entrel model package (its package.json has no "${PACKAGE_FIELD}" field; \`entrel package\` makes one)`, { file, field: PACKAGE_FIELD });
  if (typeof model !== 'string' || model === '' || isAbsolute(model)) throw new UserError(`expected a relative path to the model folder, got ${JSON.stringify(model)}`, where);
  const dir = resolve(pkgDir, model);
  if (!isWithin(dir, pkgDir)) throw new UserError(`${JSON.stringify(model)} is outside the package`, where);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`the package's model folder ${JSON.stringify(model)} is missing${installed ? ` (a broken install? reinstall "${name}")` : ''}`, where, 'ENTREL_MODEL_CORRUPT');
  // A symbolic link inside the package that leads out of it.
  if (!isWithin(realpathSync(dir), realpathSync(pkgDir))) throw new UserError(`${JSON.stringify(model)} is outside the package`, where);
  return dir;
}

/**
 * The sha256 of a model directory's weights as its `checksum` file lists it (unchecked: loading checks it),
 * without libtorch; undefined when the directory has none to read.
 */
export function weightsChecksum(modelDir: string): string | undefined {
  try {
    return /^([0-9a-f]{64}) {2}weights\.safetensors$/m.exec(readBoundedFile(join(modelDir, 'checksum'), 'model file', MAX_JSON_BYTES).toString('utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Two directories holding the same weights (a copy, or a model and its package) are one model voting
 * twice in an ensemble: allowed, but said, naming them as the caller did (`given`; `dirs` are their model
 * directories). Default: `process.emitWarning`.
 */
export function warnOfCopies(given: readonly string[], dirs: readonly string[], onWarning: (message: string) => void = (m) => process.emitWarning(m, 'EntrelWarning')): void {
  const first = new Map<string, number>();
  dirs.forEach((dir, index) => {
    const sum = weightsChecksum(dir);
    if (sum === undefined) return;
    const sameAs = first.get(sum);
    if (sameAs === undefined) first.set(sum, index);
    else onWarning(`${given[index]} has the same weights as ${given[sameAs]} (a copy?): the vote counts that model twice`);
  });
}
