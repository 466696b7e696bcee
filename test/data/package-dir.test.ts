/**
 * A bundled copy of entrel (src/data/package-dir.ts): a module URL that is no file: URL, or whose nearest
 * package.json is not entrel's, is refused with one line saying to mark entrel external; the app's own
 * package.json is never read as entrel's.
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

/** The URL of a module `dist/model/x.js` in a new directory holding `packageJson` (undefined: none). */
function moduleIn(name: string, packageJson: string | undefined): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'dist', 'model'), { recursive: true });
  if (packageJson !== undefined) writeFileSync(join(dir, 'package.json'), packageJson);
  return pathToFileURL(join(dir, 'dist', 'model', 'x.js')).href;
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
  const fork = moduleIn('fork', JSON.stringify({ name: '@someone/entrel' }));
  assert.equal(ownModuleUrl(fork), fork);
});

test('a bundle: no import.meta.url (esbuild CommonJS), another scheme, or a file under the app’s package.json', () => {
  assert.match(BUNDLED_MESSAGE, /^entrel cannot be bundled: .*mark it external \(esbuild --external:entrel, webpack externals, Next\.js serverExternalPackages\)$/);
  bundled(undefined);
  bundled('data:text/javascript,x');
  bundled('https://example.com/entrel/dist/model/x.js');
  bundled(moduleIn('app', JSON.stringify({ name: 'my-app', version: '1.0.0' })));
  bundled(moduleIn('not-json', '{'));
  bundled(moduleIn('no-name', '{}'));
  bundled(moduleIn('entrel-ish', JSON.stringify({ name: 'entrel-tools' })));
});
