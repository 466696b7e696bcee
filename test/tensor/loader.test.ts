import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getNumThreads } from '../../src/tensor/index.js';

const root = join(import.meta.dirname, '..', '..');

function runWith(env: Record<string, string>, code: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('threads: OPENBLAS_NUM_THREADS=1 is set before loading; 2 intra-op threads by default', () => {
  assert.equal(process.env.OPENBLAS_NUM_THREADS, '1');
  if (process.env.ENTREL_THREADS === undefined) assert.equal(getNumThreads(), 2);
  const r = runWith({ ENTREL_THREADS: '1' },
    "const T = await import('./src/tensor/index.ts'); console.log(T.getNumThreads(), process.env.OPENBLAS_NUM_THREADS);");
  assert.equal(r.stdout.trim(), '1 1', r.stderr);
});

test('a missing or broken binding gives one clear install/rebuild message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entrel-loader-'));
  try {
    const code = `
      const { loadNative } = await import('./src/native/loader.ts');
      for (let i = 0; i < 2; i++) { try { loadNative(); } catch (e) { console.log(e.name + ': ' + e.message); } }`;
    const missing = runWith({ ENTREL_NATIVE_PATH: join(dir, 'nope.node') }, code);
    const broken = join(dir, 'broken.node');
    writeFileSync(broken, 'not an ELF file');
    const bad = runWith({ ENTREL_NATIVE_PATH: broken }, code);
    for (const r of [missing, bad]) {
      assert.equal((r.stderr.match(/apt-get install -y libtorch-dev libopenblas0-pthread/g) ?? []).length, 1, `printed once: ${r.stderr}`);
      assert.match(r.stderr, /npx node-gyp rebuild/);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      for (const l of lines) assert.match(l, /^UserError: .*libtorch/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
