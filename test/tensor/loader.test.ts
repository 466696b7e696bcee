import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getNumThreads } from '../../src/tensor/index.js';
import { MAX_THREADS } from '../../src/native/loader.js';
import { tempDir } from '../temp-dir.js';

const root = join(import.meta.dirname, '..', '..');

function runWith(env: Record<string, string>, code: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('threads: OPENBLAS_NUM_THREADS=1 is set before loading; 2 intra-op threads by default', () => {
  const threads = getNumThreads(); // the first native call loads the binding
  assert.equal(process.env.OPENBLAS_NUM_THREADS, '1');
  if (process.env.ENTREL_THREADS === undefined) assert.equal(threads, 2);
  const r = runWith({ ENTREL_THREADS: '1' },
    "const T = await import('./src/tensor/index.ts'); console.log(T.getNumThreads(), process.env.OPENBLAS_NUM_THREADS);");
  assert.equal(r.stdout.trim(), '1 1', r.stderr);
});

test('a missing or broken binding gives one clear install/rebuild message, thrown, not printed', () => {
  const dir = tempDir('entrel-loader-');
  try {
    const code = `
      const { loadNative } = await import('./src/native/loader.ts');
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

test("npm's install step without libtorch, or with a build that fails, says what to do and lets the install finish", () => {
  // Without libtorch's headers nothing is built: the repository's own build/ is not touched.
  const r = spawnSync(process.execPath, ['scripts/install-native.cjs'], { cwd: root, env: { ...process.env, ENTREL_LIBTORCH: join(tmpdir(), 'no-libtorch-here') }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /entrel: the libtorch binding was not built: libtorch's headers are not there \(.*no-libtorch-here\/include\/ATen\/ATen\.h\)\./);
  assert.match(r.stderr, /apt-get install -y libtorch-dev libopenblas0-pthread.*ENTREL_LIBTORCH.*`npm rebuild entrel`/);
  // A relative ENTREL_LIBTORCH is taken from where npm was run (install scripts run in the package); white space is refused.
  const relative = spawnSync(process.execPath, ['scripts/libtorch-paths.cjs', 'lib'], { cwd: root, env: { ...process.env, ENTREL_LIBTORCH: 'vendor/torch', INIT_CWD: '/home/me/app' }, encoding: 'utf8' });
  assert.equal(relative.stdout.trim(), '/home/me/app/vendor/torch/lib');
  const spaced = spawnSync(process.execPath, ['scripts/install-native.cjs'], { cwd: root, env: { ...process.env, ENTREL_LIBTORCH: '/opt/lib torch' }, encoding: 'utf8' });
  assert.equal(spaced.status, 0);
  assert.match(spaced.stderr, /ENTREL_LIBTORCH \(\/opt\/lib torch\) holds white space/);
  // binding.gyp takes libtorch's place from the same script.
  const paths = spawnSync(process.execPath, ['scripts/libtorch-paths.cjs', 'include'], { cwd: root, env: { ...process.env, ENTREL_LIBTORCH: '/opt/libtorch' }, encoding: 'utf8' });
  assert.equal(paths.stdout.trim(), '/opt/libtorch/include /opt/libtorch/include/torch/csrc/api/include');
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
      ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', `const { loadNative } = await import(${JSON.stringify(loader)}); console.log(loadNative().getNumThreads());`],
      { cwd: dir, env: { ...process.env, ENTREL_NATIVE_PATH: 'entrel_native.node', ENTREL_THREADS: '1' }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ENTREL_THREADS must be a decimal integer from 1 to MAX_THREADS, so 1e9 is refused before libgomp aborts', () => {
  for (const v of ['1e9', '1000000000', '0x4', '0', '-1', '1.5', 'abc', String(MAX_THREADS + 1)]) {
    const r = runWith({ ENTREL_THREADS: v }, "const { threadsFromEnv } = await import('./src/native/loader.ts'); console.log(threadsFromEnv());");
    assert.notEqual(r.status, 0, `${v} accepted: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`ENTREL_THREADS must be an integer from 1 to ${MAX_THREADS}, got "${v.replace('.', '\\.')}"`));
  }
  const ok = runWith({ ENTREL_THREADS: ' 3 ' }, "const { threadsFromEnv } = await import('./src/native/loader.ts'); console.log(threadsFromEnv());");
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
