import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getNumThreads, setNumThreads } from '../../src/tensor/index.js';
import { MAX_THREADS } from '../../src/native/loader.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');

/** A shared library of the system (the libm this process runs with), to stand in for a library of the wrong kind. */
function systemLibrary(): string {
  const lib = /\/\S*\/libm\.so[.\d]*/.exec(readFileSync('/proc/self/maps', 'utf8'));
  assert.ok(lib, 'libm is not mapped');
  return lib[0];
}

// Run from a terminal, node's test runner sets FORCE_COLOR=1 for the test files, and a child's
// console.log(2) then prints an ANSI-coloured 2: set here, so these tests see what a terminal's run sees.
process.env.FORCE_COLOR = '1';
/** Children print plain numbers whatever the terminal running the tests. */
const NO_COLOR: Record<string, string | undefined> = { FORCE_COLOR: undefined };

/** Runs `code` in a child whose environment is this one's with `env` applied (undefined: the variable unset). */
function runWith(env: Record<string, string | undefined>, code: string): { status: number | null; stderr: string; stdout: string } {
  const childEnv = { ...process.env, ...NO_COLOR, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    ...CHILD_LIMIT, cwd: root, env: childEnv, encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('threads: OPENBLAS_NUM_THREADS=1 is set before loading; 2 intra-op threads by default', () => {
  getNumThreads(); // the first native call loads the binding
  assert.equal(process.env.OPENBLAS_NUM_THREADS, '1');
  // In children, whatever the shell running the tests sets (the README has users set ENTREL_THREADS).
  const code = "const T = await import('./src/tensor/index.ts'); console.log(T.getNumThreads(), process.env.OPENBLAS_NUM_THREADS);";
  const byDefault = runWith({ ENTREL_THREADS: undefined, OPENBLAS_NUM_THREADS: undefined }, code);
  assert.equal(byDefault.stdout.trim(), '2 1', byDefault.stderr);
  const r = runWith({ ENTREL_THREADS: '1' }, code);
  assert.equal(r.stdout.trim(), '1 1', r.stderr);
});

test('setNumThreads applies to the calling thread: a worker keeps its count when another thread sets its own', { timeout: 120_000 }, async () => {
  // libtorch keeps the count last set by any thread and applied it to a thread at that thread's first
  // op or getNumThreads(), over what the thread had set: the worker read the main thread's 3.
  const sync = new Int32Array(new SharedArrayBuffer(8));
  const tensorIndex = pathToFileURL(join(root, 'src', 'tensor', 'index.ts')).href;
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => m.register());
      const T = await import(${JSON.stringify(tensorIndex)});
      T.setNumThreads(1);
      Atomics.store(workerData, 0, 1);
      Atomics.notify(workerData, 0);
      Atomics.wait(workerData, 1, 0); // the main thread sets its own count meanwhile
      parentPort.postMessage(T.getNumThreads());
    })();`, { eval: true, workerData: sync });
  const before = getNumThreads();
  try {
    let failed: unknown;
    const reply = new Promise((res, rej) => (worker.once('message', res), worker.once('error', rej)));
    reply.catch((e) => (failed = e));
    // The worker's signal that it set its count; a worker that failed first never gives it (it waited for ever).
    const t0 = Date.now();
    while (Atomics.load(sync, 0) === 0) {
      if (failed !== undefined) throw failed;
      assert.ok(Date.now() - t0 < 60_000, 'the worker did not set its thread count within 60 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    setNumThreads(3);
    Atomics.store(sync, 1, 1);
    Atomics.notify(sync, 1);
    assert.equal(await reply, 1);
    assert.equal(getNumThreads(), 3);
  } finally {
    setNumThreads(before);
    // A worker still waiting for the main thread (a check above failed) is woken, then ended.
    Atomics.store(sync, 1, 1);
    Atomics.notify(sync, 1);
    await worker.terminate();
  }
});

test('a missing or broken binding gives one clear install/rebuild message, thrown, not printed', () => {
  const dir = tempDir('entrel-loader-');
  try {
    const code = `
      const { lazyNative } = await import('./src/native/loader.ts'); const loadNative = () => { let b; lazyNative((x) => { b = x; }).getNumThreads; return b; };
      for (let i = 0; i < 2; i++) { try { loadNative(); } catch (e) { console.log(e.name + ' ' + e.code + ': ' + e.message); } }`;
    const missing = runWith({ ENTREL_NATIVE_PATH: join(dir, 'nope.node') }, code);
    const broken = join(dir, 'broken.node');
    writeFileSync(broken, 'not an ELF file');
    const bad = runWith({ ENTREL_NATIVE_PATH: broken }, code);
    for (const r of [missing, bad]) {
      // A library does not write to stderr on its own: a caller that catches the error sees nothing else.
      assert.equal(r.stderr, '');
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      for (const l of lines) {
        assert.match(l, /^UserError ENTREL_NATIVE_MISSING: .*apt-get install -y libtorch-dev libopenblas0-pthread/);
        // npm brings node-gyp to `npm rebuild`; `npx node-gyp` would have to download it.
        assert.match(l, /`npm rebuild entrel`/);
        assert.match(l, new RegExp('`npm run build:native` in ' + root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      }
    }
    assert.match(missing.stdout, /ENTREL_NATIVE_PATH names .*nope\.node, which does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const loadCode = "const { lazyNative } = await import('./src/native/loader.ts'); const loadNative = () => { let b; lazyNative((x) => { b = x; }).getNumThreads; return b; }; try { loadNative(); } catch (e) { console.log(e.name + ' ' + e.code + ': ' + e.message); }";

test('ENTREL_NATIVE_PATH naming a file that is no native addon, or an addon that is not entrel\'s, says so', (t) => {
  const dir = tempDir('entrel-loader-');
  try {
    // require() ran a .cjs file as JavaScript, and the loader then called mod.setNumThreads: a TypeError.
    const script = runWith({ ENTREL_NATIVE_PATH: 'scripts/libtorch-paths.cjs' }, loadCode);
    assert.equal(script.stdout.trim(), `UserError ENTREL_NATIVE_MISSING: ENTREL_NATIVE_PATH names ${join(root, 'scripts', 'libtorch-paths.cjs')}, which is not a native addon (a .node file): point it at entrel's binding (${join(root, 'build', 'Release', 'entrel_native.node')} once built) or unset it`);
    // A shared library that is no Node addon.
    const lib = join(dir, 'libm.node');
    copyFileSync(systemLibrary(), lib);
    assert.match(runWith({ ENTREL_NATIVE_PATH: lib }, loadCode).stdout.trim(), /^UserError ENTREL_NATIVE_MISSING: a shared library that is no Node\.js addon was found instead of the binding \(Module did not self-register: '.*libm\.node'\.\): point ENTREL_NATIVE_PATH at entrel's binding, or unset it$/);
    // A Node addon, but another one.
    const other = join(dir, 'other.node');
    const c = join(dir, 'other.c');
    writeFileSync(c, '#include <node_api.h>\nNAPI_MODULE_INIT() { return exports; }\n');
    // Node's own headers, as the binding's build finds them (scripts/node-headers.cjs).
    const headers = (createRequire(import.meta.url)('../../scripts/node-headers.cjs') as { nodeHeadersDir(): string | undefined }).nodeHeadersDir();
    if (headers === undefined) t.diagnostic(`no Node.js headers beside ${process.execPath}: the foreign addon is not built`);
    const cc = headers === undefined ? undefined : spawnSync('cc', ['-shared', '-fPIC', `-I${join(headers, 'include', 'node')}`, '-o', other, c], { encoding: 'utf8' });
    if (cc !== undefined) assert.equal(cc.status, 0, cc.stderr);
    if (cc !== undefined)
      assert.equal(runWith({ ENTREL_NATIVE_PATH: other }, loadCode).stdout.trim(),
        `UserError ENTREL_NATIVE_MISSING: ${other} is a native addon but not entrel's binding (it has no setNumThreads): point ENTREL_NATIVE_PATH at entrel's binding, or unset it`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a libtorch of another version, or a damaged one, on the library path is named, with what to do', () => {
  const dir = tempDir('entrel-loader-');
  try {
    // A real library that lacks libtorch's symbols stands in for another version of libc10.
    copyFileSync(systemLibrary(), join(dir, 'libc10.so.1.13'));
    const other = runWith({ LD_LIBRARY_PATH: dir }, loadCode);
    assert.match(other.stdout.trim(), /^UserError ENTREL_NATIVE_MISSING: the libtorch found is not the version the binding was built against \(.*libtorch\S*\.so[.\d]*: undefined symbol: \w+\): rebuild the binding against it, `npm rebuild entrel` in the project that installed entrel, or `npm run build:native` in \S+; or put the libtorch it was built with first \(LD_LIBRARY_PATH, now .*entrel-loader-\w+\)$/);
    writeFileSync(join(dir, 'libc10.so.1.13'), '');
    const damaged = runWith({ LD_LIBRARY_PATH: dir }, loadCode);
    assert.match(damaged.stdout.trim(), /^UserError ENTREL_NATIVE_MISSING: a libtorch library that was found is damaged or not one for this machine \(.*libc10\.so\.1\.13: file too short\): reinstall libtorch \(`apt-get install --reinstall -y libtorch-dev libopenblas0-pthread`\), or take its directory off the library path/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm's install step without libtorch, or with a build that fails, says what to do and lets the install finish", () => {
  // Without libtorch's headers nothing is built: the repository's own build/ is not touched.
  // Installed as a dependency of the project npm was run in (INIT_CWD).
  const r = spawnSync(process.execPath, ['scripts/install-native.cjs'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: join(tmpdir(), 'no-libtorch-here'), INIT_CWD: '/home/me/app' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /entrel: the libtorch binding was not built: libtorch's headers are not there \(.*no-libtorch-here\/include\/ATen\/ATen\.h\)\./);
  assert.match(r.stderr, /apt-get install -y libtorch-dev libopenblas0-pthread.*ENTREL_LIBTORCH.*`npm rebuild entrel`/);
  assert.ok(!existsSync(join(root, 'build', 'skipped.json')), 'no record of a skip beside the built binding');
  // npm ci in the repository's checkout: `npm rebuild entrel` would rebuild nothing there.
  const checkout = spawnSync(process.execPath, ['scripts/install-native.cjs'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: join(tmpdir(), 'no-libtorch-here'), INIT_CWD: root }, encoding: 'utf8' });
  assert.equal(checkout.status, 0, checkout.stderr);
  assert.match(checkout.stderr, /then run `npm run build:native`\. Until then/);
  // `npx entrel` in a checkout runs the install step again from npx's cache: with the addon built, nothing is done.
  const npx = spawnSync(process.execPath, ['scripts/install-native.cjs'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: join(tmpdir(), 'no-libtorch-here'), npm_command: 'exec' }, encoding: 'utf8' });
  assert.deepEqual([npx.status, npx.stderr], [0, '']);
  // `npm run build:native` (setup.sh's) is required to build: the same message, and status 1.
  const required = spawnSync(process.execPath, ['scripts/install-native.cjs', '--required'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: join(tmpdir(), 'no-libtorch-here') }, encoding: 'utf8' });
  assert.equal(required.status, 1, required.stderr);
  assert.match(required.stderr, /libtorch's headers are not there .*\n.*then run `npm run build:native` again\./);
  // A relative ENTREL_LIBTORCH is taken from where npm was run (install scripts run in the package); white space is refused.
  const relative = spawnSync(process.execPath, ['scripts/libtorch-paths.cjs', 'lib'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: 'vendor/torch', INIT_CWD: '/home/me/app' }, encoding: 'utf8' });
  assert.equal(relative.stdout.trim(), '/home/me/app/vendor/torch/lib');
  const spaced = spawnSync(process.execPath, ['scripts/install-native.cjs'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: '/opt/lib torch' }, encoding: 'utf8' });
  assert.equal(spaced.status, 0);
  assert.match(spaced.stderr, /ENTREL_LIBTORCH \(\/opt\/lib torch\) holds white space/);
  // binding.gyp takes libtorch's place from the same script.
  const paths = spawnSync(process.execPath, ['scripts/libtorch-paths.cjs', 'include'], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, ENTREL_LIBTORCH: '/opt/libtorch' }, encoding: 'utf8' });
  assert.equal(paths.stdout.trim(), '/opt/libtorch/include /opt/libtorch/include/torch/csrc/api/include');
});

test('a binding that was not built although libtorch is there: the install script did not run, or its build failed', () => {
  // A copy of the package without build/: package.json, the loader, errors.ts, binding.gyp and the install scripts.
  const pkg = tempDir('entrel-unbuilt-');
  for (const f of ['src/native/loader.ts', 'src/errors.ts', 'binding.gyp', 'scripts/libtorch-paths.cjs', 'scripts/install-native.cjs', 'scripts/node-headers.cjs']) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    copyFileSync(join(root, f), join(pkg, f));
  }
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'entrel', type: 'module' }));
  const libtorch = tempDir('entrel-libtorch-');
  mkdirSync(join(libtorch, 'include', 'ATen'), { recursive: true });
  const header = join(libtorch, 'include', 'ATen', 'ATen.h');
  writeFileSync(header, '');
  const load = (env: Record<string, string>) => {
    const loader = pathToFileURL(join(pkg, 'src', 'native', 'loader.ts')).href;
    const code = `const { lazyNative } = await import(${JSON.stringify(loader)}); const loadNative = () => { let b; lazyNative((x) => { b = x; }).getNumThreads; return b; }; try { loadNative(); } catch (e) { console.log(e.name + ' ' + e.code + ': ' + e.message); }`;
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', code], { ...CHILD_LIMIT, cwd: pkg, env: { ...process.env, ...NO_COLOR, ...env }, encoding: 'utf8' });
    assert.equal(r.stderr, '', 'nothing on stderr');
    return r.stdout.trim();
  };
  /** npm's install step in the copy, with `env` (npm_config_node_gyp: the node-gyp it runs). */
  const install = (env: Record<string, string | undefined>) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, INIT_CWD: '/home/me/app', npm_config_node_gyp: undefined, ...env };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    const r = spawnSync(process.execPath, [join(pkg, 'scripts', 'install-native.cjs')], { ...CHILD_LIMIT, cwd: pkg, env: childEnv as NodeJS.ProcessEnv, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /entrel: the libtorch binding was not built: /);
    assert.deepEqual(readdirSync(join(pkg, 'build')).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  };
  /** A node-gyp that exits with `status` (0: after writing a binding, as a build that works). */
  const nodeGyp = (status: number) => {
    const gyp = join(pkg, `fake-node-gyp-${status}.cjs`);
    writeFileSync(gyp, status === 0 ? `const fs = require('node:fs'); fs.mkdirSync('build/Release', { recursive: true }); fs.writeFileSync('build/Release/entrel_native.node', '');` : `process.exit(${status});`);
    return gyp;
  };
  const file = join(pkg, 'build', 'Release', 'entrel_native.node');
  const start = `UserError ENTREL_NATIVE_MISSING: the native binding was not built (${file} does not exist), though libtorch is installed (${header}): `;
  const rebuild = `Run \`npm rebuild entrel\` (pnpm: \`pnpm rebuild entrel\`) in the project that installed entrel, or \`npm run build:native\` in ${pkg}.`;
  // --ignore-scripts, pnpm, or an install script from before the record: no build/ at all. Installing libtorch would change nothing: not said.
  assert.equal(
    load({ ENTREL_LIBTORCH: libtorch }),
    `${start}it was not built when entrel was installed (its install script did not run, or libtorch was not installed then; ` +
      `pnpm runs a dependency's install script only when it is listed in onlyBuiltDependencies). ${rebuild}`,
  );
  // The install script ran without libtorch (the README's order: install entrel, then libtorch): its record is quoted (review 18b finding 5).
  const missing = join(libtorch, 'none');
  install({ ENTREL_LIBTORCH: missing });
  const record = JSON.parse(readFileSync(join(pkg, 'build', 'skipped.json'), 'utf8')) as { reason: string; buildFailed: boolean };
  assert.deepEqual([record.reason, record.buildFailed], [`libtorch's headers were not there (${join(missing, 'include', 'ATen', 'ATen.h')})`, false]);
  assert.equal(load({ ENTREL_LIBTORCH: libtorch }), `${start}when entrel was installed, its install script did not build it: ${record.reason}. ${rebuild}`);
  // Still without libtorch: install libtorch first, as before, with the record.
  assert.match(load({ ENTREL_LIBTORCH: missing }), /^UserError ENTREL_NATIVE_MISSING: entrel needs libtorch .*apt-get install -y libtorch-dev.*binding not built: .*entrel_native\.node does not exist; when entrel was installed, its install script did not build it: libtorch's headers were not there \(.*\)\)$/);
  // No node-gyp to run (node is run by its full path).
  install({ ENTREL_LIBTORCH: libtorch, PATH: tempDir('entrel-no-path-') });
  assert.match(load({ ENTREL_LIBTORCH: libtorch }), /its install script did not build it: node-gyp could not be run \(spawnSync node-gyp ENOENT\)\. Run `npm rebuild entrel`/);
  // The build failed (npm hid its output).
  install({ ENTREL_LIBTORCH: libtorch, npm_config_node_gyp: nodeGyp(2) });
  assert.equal(
    load({ ENTREL_LIBTORCH: libtorch }),
    `${start}its build failed when entrel was installed (node-gyp ended with status 2). Run \`npm rebuild entrel --foreground-scripts\` in the project that installed entrel to build it again and see the errors, or \`npm run build:native\` in ${pkg}.`,
  );
  // A build/ without a record (a script from before it): the build failed.
  rmSync(join(pkg, 'build', 'skipped.json'));
  assert.match(load({ ENTREL_LIBTORCH: libtorch }), /: its build failed when entrel was installed\. Run `npm rebuild entrel --foreground-scripts` in the project that installed entrel to build it again and see the errors, or `npm run build:native` in \S+\.$/);
  // A build that works removes the record of an earlier skip.
  install({ ENTREL_LIBTORCH: missing });
  assert.ok(existsSync(join(pkg, 'build', 'skipped.json')), 'recorded');
  const built = spawnSync(process.execPath, [join(pkg, 'scripts', 'install-native.cjs')], { ...CHILD_LIMIT, cwd: pkg, env: { ...process.env, ENTREL_LIBTORCH: libtorch, npm_config_node_gyp: nodeGyp(0) }, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.deepEqual(readdirSync(join(pkg, 'build')).sort(), ['Release'], 'the record is gone');
  // Nothing is recorded over a binding built before.
  install({ ENTREL_LIBTORCH: missing });
  assert.deepEqual(readdirSync(join(pkg, 'build')).sort(), ['Release'], 'no record beside a binding');
});

test('the CLI prints a missing binding once, as one line', () => {
  const code = `const { run } = await import('./src/cli/main.ts'); process.exitCode = await run(['node', 'entrel', 'extract', 'John works for IBM.']);`;
  const r = runWith({ ENTREL_NATIVE_PATH: join(tmpdir(), 'entrel-no-such-binding.node') }, code);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^entrel: entrel needs libtorch .*does not exist\)$/);
});

test('ENTREL_NATIVE_PATH may be relative to the current directory', () => {
  const dir = tempDir('entrel-loader-');
  try {
    const built = join(root, 'build', 'Release', 'entrel_native.node');
    copyFileSync(built, join(dir, 'entrel_native.node'));
    const loader = pathToFileURL(join(root, 'src', 'native', 'loader.ts')).href;
    const r = spawnSync(
      process.execPath,
      // --import tsx is resolved from the cwd, which has no node_modules: name tsx's loader by URL.
      ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', `const { lazyNative } = await import(${JSON.stringify(loader)}); const loadNative = () => { let b; lazyNative((x) => { b = x; }).getNumThreads; return b; }; console.log(loadNative().getNumThreads());`],
      { ...CHILD_LIMIT, cwd: dir, env: { ...process.env, ...NO_COLOR, ENTREL_NATIVE_PATH: 'entrel_native.node', ENTREL_THREADS: '1' }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ENTREL_THREADS must be a decimal integer from 1 to MAX_THREADS, so 1e9 is refused before libgomp aborts', () => {
  const code = "const T = await import('./src/tensor/index.ts'); console.log(T.getNumThreads());";
  for (const v of ['1e9', '1000000000', '0x4', '0', '-1', '1.5', 'abc', String(MAX_THREADS + 1)]) {
    const r = runWith({ ENTREL_THREADS: v }, code);
    assert.notEqual(r.status, 0, `${v} accepted: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`ENTREL_THREADS: must be an integer from 1 to ${MAX_THREADS}, got "${v.replace('.', '\\.')}"`));
  }
  const ok = runWith({ ENTREL_THREADS: ' 3 ' }, code);
  assert.equal(ok.stdout.trim(), '3', ok.stderr);
});

test('importing entrel does not load the binding: data, evaluation and rendering work without libtorch', () => {
  const gold = join(root, '..', 'shared', 'data', 'conll04', 'spert', 'conll04_dev.json');
  const code = `
    const m = await import('./src/index.ts');
    const { documents } = await m.loadCorpus(${JSON.stringify(gold)});
    console.log(documents.length, m.evaluate(documents, documents).relations.strict.micro.f1);
    const doc = { text: 'John', sentences: [{ start: 0, end: 4, tokens: [[0, 4]] }], entities: [], relations: [] };
    console.log(m.renderDocumentSvg(doc).startsWith('<svg'));
    try { await m.Extractor.load(); } catch (e) { console.log(e.name, /apt-get install -y libtorch-dev/.test(e.message)); }`;
  const r = runWith({ ENTREL_NATIVE_PATH: join(tmpdir(), 'entrel-no-such-binding.node') }, code);
  assert.equal(r.status, 0, r.stderr);
  // The first model load is where the install message comes, as a UserError the caller can catch.
  assert.deepEqual(r.stdout.trim().split('\n'), ['231 1', 'true', 'UserError true']);
});
