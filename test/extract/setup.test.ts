/**
 * scripts/setup.sh, the README's installation, run against a stand-in project with stand-in `node`, `npm`
 * and `dpkg-query` (the real ones would install): a second run changes nothing, and what it cannot do
 * (an old Node, no apt-get, not root) ends with one line saying why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir('entrel-setup-');

function exe(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A project with the files setup.sh looks at, dated an hour ago, and a bin/ of stand-ins logging to npm.log. */
function project(name: string, opts: { nodeMajor?: number; installed?: boolean; nativeFails?: boolean } = {}): { cwd: string; bin: string; log: string } {
  const cwd = join(dir, name);
  const bin = join(cwd, 'fake-bin');
  for (const d of ['scripts', 'src/native', 'fake-bin']) mkdirSync(join(cwd, d), { recursive: true });
  copyFileSync(join(root, 'scripts', 'setup.sh'), join(cwd, 'scripts', 'setup.sh'));
  const old = new Date(Date.now() - 3600_000);
  for (const f of ['package.json', 'package-lock.json', 'binding.gyp', 'tsconfig.json', 'tsconfig.build.json', 'src/index.ts', 'src/native/entrel.cc', 'scripts/libtorch-paths.cjs']) {
    writeFileSync(join(cwd, f), '{}\n');
    utimesSync(join(cwd, f), old, old);
  }
  const log = join(cwd, 'npm.log');
  const major = opts.nodeMajor ?? 20;
  exe(join(bin, 'node'), `case "$1" in -p) echo ${major};; --version) echo v${major}.0.0;; esac; exit 0`);
  exe(
    join(bin, 'npm'),
    `echo "$*" >> ${JSON.stringify(log)}
case "$*" in
  ci*) mkdir -p node_modules build/Release && touch node_modules/.package-lock.json build/Release/entrel_native.node;;
  *build:native*) ${opts.nativeFails ? "echo 'gyp ERR! build error' >&2; exit 1" : 'mkdir -p build/Release && touch build/Release/entrel_native.node'};;
  *build*) mkdir -p dist && touch dist/index.js;;
esac`,
  );
  exe(join(bin, 'dpkg-query'), opts.installed === false ? 'exit 1' : "printf 'install ok installed'");
  return { cwd, bin, log };
}

function setup(p: { cwd: string; bin: string }, path = `${p.bin}:${process.env.PATH}`) {
  return spawnSync(bash, [join(p.cwd, 'scripts', 'setup.sh')], { ...CHILD_LIMIT, cwd: p.cwd, env: { ...process.env, PATH: path }, encoding: 'utf8' });
}

const which = (t: string) => spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
const bash = which('bash');

const npmCalls = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

test('setup.sh is idempotent: the second run installs and builds nothing (npm ci would delete the GloVe cache)', () => {
  const p = project('twice');
  const first = setup(p);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(npmCalls(p.log).map((l) => l.split(' ').slice(0, 2).join(' ')), ['ci --no-audit', 'run --silent']);
  rmSync(p.log);
  const second = setup(p);
  assert.equal(second.status, 0, second.stderr);
  assert.deepEqual(npmCalls(p.log), []);
  // Sources newer than their build but the same (a copied tree) redo nothing; a changed binding or
  // TypeScript source redoes just its step.
  const later = new Date(Date.now() + 5000);
  utimesSync(join(p.cwd, 'src', 'native', 'entrel.cc'), later, later);
  utimesSync(join(p.cwd, 'src', 'index.ts'), later, later);
  assert.equal(setup(p).status, 0);
  assert.deepEqual(npmCalls(p.log), []);
  writeFileSync(join(p.cwd, 'src', 'native', 'entrel.cc'), '// changed\n');
  const third = setup(p);
  assert.equal(third.status, 0, third.stderr);
  assert.deepEqual(npmCalls(p.log), ['run --loglevel=error build:native']);
  rmSync(p.log);
  writeFileSync(join(p.cwd, 'src', 'index.ts'), 'export {};\n');
  assert.equal(setup(p).status, 0);
  assert.deepEqual(npmCalls(p.log), ['run --silent build']);
  // A dist/ that another `npm run build` wrote (npm test's, npm pack's; from sources since reverted, say)
  // is not taken for the sources' build: it is compiled again.
  rmSync(p.log);
  rmSync(join(p.cwd, 'dist'), { recursive: true });
  mkdirSync(join(p.cwd, 'dist'));
  writeFileSync(join(p.cwd, 'dist', 'index.js'), '');
  assert.equal(setup(p).status, 0);
  assert.deepEqual(npmCalls(p.log), ['run --silent build']);
  rmSync(p.log);
  // The lockfile too: touched, nothing; changed, npm ci.
  utimesSync(join(p.cwd, 'package-lock.json'), later, later);
  assert.equal(setup(p).status, 0);
  assert.deepEqual(npmCalls(p.log), []);
  writeFileSync(join(p.cwd, 'package-lock.json'), '{"lockfileVersion": 3}\n');
  assert.equal(setup(p).status, 0);
  assert.deepEqual(npmCalls(p.log).map((l) => l.split(' ')[0]), ['ci']);
});

test('setup.sh refuses a Node older than 20 before installing anything', () => {
  const p = project('node18', { nodeMajor: 18 });
  const r = setup(p);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^entrel setup: Node\.js 20 or later is needed, `node` is v18\.0\.0/);
  assert.deepEqual(npmCalls(p.log), []);
});

test('setup.sh says what to install when packages are missing and it cannot apt-get them', () => {
  const p = project('noapt', { installed: false });
  // PATH: the stand-ins and the few tools the script uses, without apt-get.
  const tools = join(p.cwd, 'tools');
  mkdirSync(tools);
  for (const t of ['dirname', 'find', 'grep', 'id', 'mkdir', 'touch'])
    exe(join(tools, t), `exec ${JSON.stringify(which(t))} "$@"`);
  const r = setup(p, `${p.bin}:${tools}`);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^entrel setup: apt-get is not available .*libtorch-dev libopenblas0-pthread/);
  assert.deepEqual(npmCalls(p.log), []);
});

test('setup.sh says which step failed, after its errors, and each step it runs', () => {
  const p = project('native-fails', { nativeFails: true });
  rmSync(join(p.cwd, 'fake-bin', 'npm'));
  // npm ci succeeds without building the addon (as on a machine where node-gyp could not get Node's headers).
  exe(join(p.bin, 'npm'), `echo "$*" >> ${JSON.stringify(p.log)}
case "$*" in
  ci*) mkdir -p node_modules && touch node_modules/.package-lock.json;;
  *build:native*) echo 'gyp ERR! build error' >&2; exit 1;;
esac`);
  const r = setup(p);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'entrel setup: installing the npm dependencies from the lockfile (npm ci)',
    'entrel setup: building the native libtorch binding',
    'gyp ERR! build error',
    'entrel setup: building the native libtorch binding failed (its errors are above); fix what they say and run scripts/setup.sh again',
  ]);
  assert.equal(existsSync(join(p.cwd, 'build', 'inputs.sha256')), false, 'a failed build is not recorded as done');
});
