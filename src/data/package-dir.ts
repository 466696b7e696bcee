/**
 * entrel reads files beside its own modules: its package.json (model/version.ts), the bundled model
 * (model/model-ref.ts), the native binding (native/loader.ts), the worker script (extract/pool/spawn.ts)
 * and the GloVe package (model/glove.ts), each from its module's `import.meta.url`. A bundler that inlines
 * entrel into an app breaks all of them: esbuild's CommonJS output gives `import.meta` no `url` (a
 * TypeError `Invalid URL` at import), and an ES module bundle's URL is the bundle's, so paths relative to
 * it name other files, the app's own package.json among them. Those modules ask `ownModuleUrl` first,
 * which says so in one line instead. version.ts and model-ref.ts ask as they are imported, and every
 * import of entrel (its package exports "." only) imports them; so the native loader, which may import
 * nothing but errors.ts, is never reached from a bundle and does not ask.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

export const BUNDLED_MESSAGE =
  'entrel cannot be bundled: it reads its model, native binding and worker from its package directory; mark it external (esbuild --external:entrel, webpack externals, Next.js serverExternalPackages)';

/** Whether each directory checked lies in entrel's package. */
const checked = new Map<string, boolean>();

/**
 * `url` (an entrel module's `import.meta.url`) when it is a file of entrel's own package, whatever name
 * the package is installed or published under (a fork, a scoped republish): a `file:` URL in the src/ or
 * dist/ folder beside its nearest package.json (as Node finds it), in a directory shaped as entrel's
 * package (entrelShaped). Anything else is a bundled copy: a UserError saying to mark entrel external.
 */
export function ownModuleUrl(url: unknown): string {
  if (typeof url !== 'string' || !url.startsWith('file:')) throw new UserError(BUNDLED_MESSAGE);
  const file = fileURLToPath(url);
  const dir = dirname(file);
  let ours = checked.get(dir);
  if (ours === undefined) {
    const root = nearestPackageDir(dir);
    checked.set(dir, (ours = root !== undefined && entrelShaped(root, file)));
  }
  if (!ours) throw new UserError(BUNDLED_MESSAGE);
  return url;
}

/** The directory of the package.json nearest to `dir`, as Node's lookup goes; undefined: none up to the root. */
function nearestPackageDir(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Whether `file` sits in entrel's package at `root`: in its src/ (run with tsx) or dist/ folder, beside
 * this very module (`data/package-dir.ts` or `.js` in that folder) and with binding.gyp at the root. A
 * bundle's URL is the bundle's, under the app's package.json, where neither is.
 */
function entrelShaped(root: string, file: string): boolean {
  const folder = relative(root, file).split(sep)[0];
  return (folder === 'src' || folder === 'dist') && existsSync(join(root, folder, 'data', `package-dir${extname(file)}`)) && existsSync(join(root, 'binding.gyp'));
}
