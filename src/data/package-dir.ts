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
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

export const BUNDLED_MESSAGE =
  'entrel cannot be bundled: it reads its model, native binding and worker from its package directory; mark it external (esbuild --external:entrel, webpack externals, Next.js serverExternalPackages)';

/** Whether each directory checked lies in entrel's package (its nearest package.json is entrel's). */
const checked = new Map<string, boolean>();

/**
 * `url` (an entrel module's `import.meta.url`) when it is a file of entrel's own package: a `file:` URL
 * whose nearest package.json, as Node finds it, is named entrel. Anything else is a bundled copy: a
 * UserError saying to mark entrel external.
 */
export function ownModuleUrl(url: unknown): string {
  if (typeof url !== 'string' || !url.startsWith('file:')) throw new UserError(BUNDLED_MESSAGE);
  const dir = dirname(fileURLToPath(url));
  let ours = checked.get(dir);
  if (ours === undefined) checked.set(dir, (ours = isEntrelPackage(nearestPackageJson(dir))));
  if (!ours) throw new UserError(BUNDLED_MESSAGE);
  return url;
}

function nearestPackageJson(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'package.json');
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // none here (or none readable): the next directory up, as Node's lookup goes
    }
    if (dirname(at) === at) return undefined;
  }
}

/** entrel's package.json: named entrel (a fork may publish it under a scope, `@someone/entrel`). */
function isEntrelPackage(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const name = (JSON.parse(text) as { name?: unknown } | null)?.name;
    return typeof name === 'string' && /^(@[^/]+\/)?entrel$/.test(name);
  } catch {
    return false;
  }
}
