/**
 * What tensors left to the GC report to V8 as external memory: their storage, once per storage. A view's
 * nominal numel × element size was reported before: a broadcast view of 2^58 elements (4 bytes of
 * storage) aborted the process on V8's CHECK, and a one-row view pinning a large output counted a row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { keep, releaseFreeMemory, tensor, tidy, zeros } from '../../src/tensor/index.js';
import { N } from '../../src/tensor/tensor.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');
const MiB = 2 ** 20;

test('a huge broadcast view left to the GC does not abort the process', () => {
  // Outside every scope, returned from the outermost one, and kept: each reported 2^60 bytes and died
  // on V8's CHECK (SIGTRAP). A child process, so that a regression fails this test instead of the runner.
  const code = `
    const T = await import('./src/tensor/index.ts');
    const { N } = await import('./src/tensor/tensor.ts');
    const one = T.tensor([1]);
    const views = [
      one.expand([2 ** 29, 2 ** 29]),
      T.tidy(() => T.tensor([1]).expand([2 ** 29, 2 ** 29])),
      T.tidy(() => T.keep(T.tensor([1]).expand([2 ** 30, 2 ** 30]))),
    ];
    console.log(views.map((v) => v.shape.join('x')).join(' '), N.reportedBytes());`;
  // FORCE_COLOR (set by node's test runner run from a terminal) would colour the numbers printed.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { ...CHILD_LIMIT, cwd: root, env: { ...process.env, FORCE_COLOR: undefined }, encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  // three storages of one float32 each: `one` with its view, the returned view's, the kept view's
  assert.equal(r.stdout.trim(), '536870912x536870912 536870912x536870912 1073741824x1073741824 12');
});

test('a small view counts the storage it pins, once however many views share it', () => {
  const before = N.reportedBytes();
  const row = tidy(() => zeros([1024, 256]).narrow(0, 0, 1)); // 1 KiB of a 1 MiB storage
  assert.equal(N.reportedBytes() - before, MiB);
  const views = tidy(() => {
    const big = zeros([1024, 256]);
    return [big.narrow(0, 0, 1), big.narrow(0, 1, 1), big.T];
  });
  assert.equal(N.reportedBytes() - before, 2 * MiB);
  views[0].dispose();
  views[1].dispose();
  assert.equal(N.reportedBytes() - before, 2 * MiB, 'a storage stays counted while a tracked view holds it');
  views[2].dispose();
  row.dispose();
  assert.equal(N.reportedBytes(), before);
});

test('scoped tensors report nothing; keep() and a broadcast view report their storage', () => {
  const before = N.reportedBytes();
  tidy(() => {
    zeros([1024, 256]);
    assert.equal(N.reportedBytes(), before);
  });
  const kept = tidy(() => keep(zeros([256, 256])));
  assert.equal(N.reportedBytes() - before, MiB / 4);
  const one = tensor([1]);
  const wide = one.expand([2 ** 20, 2 ** 20]);
  assert.equal(N.reportedBytes() - before, MiB / 4 + 4);
  for (const t of [kept, one, wide]) t.dispose();
  assert.equal(N.reportedBytes(), before);
});

test('releaseFreeMemory hands glibc\'s free pages back (malloc_trim), where the process runs on glibc', () => {
  const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  // Freed tensors leave free memory in the allocator's arenas for it to give back.
  tidy(() => Array.from({ length: 2000 }, () => zeros([64, 64]))); // 16 KiB each: below mmap's threshold
  assert.equal(releaseFreeMemory(), glibc !== undefined);
});
