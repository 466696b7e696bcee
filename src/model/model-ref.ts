/**
 * What `--model X` (and `Extractor.load(X)`, a config's `init`) names: a model directory, or an installed
 * npm package made by `entrel package`, found as Node finds packages (`node_modules/X` in the directory
 * and each one above it). The package's `package.json` says where its model is (`"entrel": {"model": …}`).
 * A path that exists always wins, so a directory named like a package is still the directory.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import validateName from 'validate-npm-package-name';
import { UserError } from '../errors.js';

/** The `package.json` field of a model package, and the folder of its model. */
export const PACKAGE_FIELD = 'entrel';

/** Whether `ref` could be an npm package name (old rules too: capitals were once allowed). */
export function isPackageName(ref: string): boolean {
  const v = validateName(ref);
  return v.validForNewPackages || v.validForOldPackages;
}

/**
 * The absolute model directory `ref` names, relative to `base`: the path when it exists, else the model of
 * the installed package of that name; a name that is neither is a UserError saying where it looked.
 * Anything else (a path that is not there) is returned resolved, for the loader's own "not found".
 */
export function resolveModelRef(ref: string, base = process.cwd()): string {
  const path = resolve(base, ref);
  if (existsSync(path) || !isPackageName(ref)) return path;
  const dir = installedModelPackage(ref, base);
  if (dir === undefined)
    throw new UserError(
      `no model directory of that name (${path}), nor an installed npm package "${ref}" (looked for node_modules/${ref} from ${base} upward): name a model directory, or \`npm install\` the model package`,
      { file: ref },
    );
  return dir;
}

/** The model directory of the installed model package `name` seen from `base`; undefined when none is installed. */
export function installedModelPackage(name: string, base: string): string | undefined {
  const pkg = installedPackage(name, base);
  return pkg === undefined ? undefined : packageModelDir(pkg, name);
}

/** The directory of the installed package `name` seen from `base`, as Node's resolution walks up. */
function installedPackage(name: string, base: string): string | undefined {
  for (let dir = resolve(base); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The model folder a model package's package.json names, which must be inside the package. */
function packageModelDir(pkgDir: string, name: string): string {
  const file = join(pkgDir, 'package.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read the package.json of package "${name}": ${(e as Error).message}`, { file });
  }
  const field = (json as Record<string, unknown> | null)?.[PACKAGE_FIELD];
  const model = (field as Record<string, unknown> | null | undefined)?.model;
  if (field === undefined)
    throw new UserError(`package "${name}" is not an entrel model package (its package.json has no "${PACKAGE_FIELD}" field; \`entrel package\` makes one)`, { file, field: PACKAGE_FIELD });
  if (typeof model !== 'string' || model === '' || isAbsolute(model))
    throw new UserError(`expected a relative path to the model folder, got ${JSON.stringify(model)}`, { file, field: `${PACKAGE_FIELD}.model` });
  const dir = resolve(pkgDir, model);
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
  const inside = relative(real(pkgDir), real(dir));
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    throw new UserError(`${JSON.stringify(model)} is outside the package`, { file, field: `${PACKAGE_FIELD}.model` });
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`the package's model folder ${JSON.stringify(model)} is missing (a broken install? reinstall "${name}")`, { file, field: `${PACKAGE_FIELD}.model` });
  return dir;
}
