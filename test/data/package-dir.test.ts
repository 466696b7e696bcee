/**
 * A bundled copy of entrel (src/data/package-dir.ts): a module URL that is no file: URL, or that does not
 * sit in entrel's package (the src/ or dist/ folder beside its nearest package.json, with binding.gyp and
 * data/package-dir there), is refused with one line saying to mark entrel external; the app's own
 * package.json is never read as entrel's. The package's name does not matter (review 18b finding 4).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BUNDLED_MESSAGE, ownModuleUrl } from '../../src/data/package-dir.js';
import { ENTREL_VERSION } from '../../src/model/version.js';
import { tempDir } from '../temp-dir.js';
import { userError } from '../user-error.js';

const root = tempDir('entrel-bundled-');

/**
 * The URL of a module `<folder>/model/x<ext>` in a new directory `name` holding `packageJson` (undefined:
 * none), shaped as entrel's package (binding.gyp, `<folder>/data/package-dir<ext>`) unless `shaped` is false.
 */
function moduleIn(name: string, packageJson: string | undefined, { folder = 'dist', ext = '.js', shaped = true } = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, folder, 'model'), { recursive: true });
  if (packageJson !== undefined) writeFileSync(join(dir, 'package.json'), packageJson);
  if (shaped) {
    mkdirSync(join(dir, folder, 'data'), { recursive: true });
    writeFileSync(join(dir, folder, 'data', `package-dir${ext}`), '');
    writeFileSync(join(dir, 'binding.gyp'), '{}');
  }
  return pathToFileURL(join(dir, folder, 'model', `x${ext}`)).href;
}

const bundled = (url: unknown) => {
  const e = userError(() => ownModuleUrl(url));
  assert.equal(e.message, BUNDLED_MESSAGE, `${String(url)}`);
};

test("entrel's own modules pass, and its version is its package.json's", () => {
  const own = new URL('../../src/model/version.ts', import.meta.url).href;
  assert.equal(ownModuleUrl(own), own);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(ENTREL_VERSION, pkg.version);
  const installed = moduleIn('installed', JSON.stringify({ name: 'entrel', version: '9.9.9' }));
  assert.equal(ownModuleUrl(installed), installed);
  const checkout = moduleIn('checkout', JSON.stringify({ name: 'entrel' }), { folder: 'src', ext: '.ts' });
  assert.equal(ownModuleUrl(checkout), checkout);
});

test('a fork or republish under any name is entrel’s package, not a bundle (review 18b finding 4)', () => {
  for (const [dir, name] of [['scoped', '@someone/entrel'], ['renamed', 'entrel-ng'], ['scoped-renamed', '@acme/entrel-core']]) {
    const url = moduleIn(dir, JSON.stringify({ name }));
    assert.equal(ownModuleUrl(url), url, name);
  }
  const unnamed = moduleIn('unnamed', '{}');
  assert.equal(ownModuleUrl(unnamed), unnamed);
});

test('a bundle: no import.meta.url (esbuild CommonJS), another scheme, or a file under the app’s package.json', () => {
  assert.match(BUNDLED_MESSAGE, /^entrel cannot be bundled: .*mark it external \(esbuild --external:entrel, webpack externals, Next\.js serverExternalPackages\)$/);
  bundled(undefined);
  bundled('data:text/javascript,x');
  bundled('https://example.com/entrel/dist/model/x.js');
  bundled(moduleIn('app', JSON.stringify({ name: 'my-app', version: '1.0.0' }), { shaped: false }));
  bundled(moduleIn('app-named-entrel', JSON.stringify({ name: 'entrel' }), { shaped: false }));
  bundled(moduleIn('no-package-json', undefined, { shaped: false }));
  // An app with a native addon of its own (binding.gyp) and a bundle in dist/.
  const app = join(root, 'addon-app');
  mkdirSync(join(app, 'dist'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'addon-app' }));
  writeFileSync(join(app, 'binding.gyp'), '{}');
  bundled(pathToFileURL(join(app, 'dist', 'bundle.js')).href);
  // A bundle written into entrel's package itself, outside src/ and dist/.
  const shaped = moduleIn('shaped', JSON.stringify({ name: 'entrel' }));
  bundled(new URL('../../out/bundle.js', shaped).href);
});
