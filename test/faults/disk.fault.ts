/**
 * A full disk and an unwritable output directory, for real: the run lives on a small tmpfs that is filled
 * up, then remounted read-only. Training must stop with exit 1 and one clear line, leave the last good
 * checkpoint and best/ model intact, and, once there is room again, resume to the very result of an
 * uninterrupted run. Needs root for mount(8) (CI runs as root); as another user the unwritable case uses
 * directory permissions instead and the full-disk case fails with the reason.
 *
 * Slow-ish (seven CLI processes): run by `npm run test:faults`, not `npm test`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bestChecksum, checkpointEpoch, cli, fill, TINY_CONFIG } from './harness.js';
import { CHILD_LIMIT } from '../child-limit.js';
import { tempDir } from '../temp-dir.js';

/** The best model's weights (config.json also records the epoch budget, which these runs change). */
const bestWeights = (out: string) => bestChecksum(out).split('\n').find((l) => l.endsWith('weights.safetensors'));

const root = tempDir('entrel-disk-');
const mnt = join(root, 'mnt');
const isRoot = process.getuid?.() === 0;
const args = (out: string, epochs: number, resume = true) =>
  ['train', '--config', TINY_CONFIG, '--out', out, '--quiet', '--json', '--set', `epochs=${epochs}`, ...(resume ? ['--resume'] : [])];

let refOut = '';
before(async () => {
  execFileSync('mkdir', ['-p', mnt]);
  if (isRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
  refOut = join(root, 'reference');
  const ref = await cli(args(refOut, 8, false));
  assert.equal(ref.code, 0, ref.stderr);
});
after(() => {
  if (isRoot) execFileSync('umount', ['-l', mnt]);
  rmSync(root, { recursive: true, force: true });
});

/** The checks every fault shares: exit 1, one line saying why, checkpoint and best/ untouched, no litter. */
function assertStoppedCleanly(r: { code: number | null; stderr: string }, out: string, why: RegExp, epoch: number, best: string) {
  assert.equal(r.code, 1, r.stderr);
  const msg = r.stderr.trim();
  assert.ok(!msg.includes('\n'), `one line: ${msg}`);
  assert.match(msg, why);
  assert.match(msg, new RegExp(`^entrel: ${out}`), 'names the path');
  assert.equal(checkpointEpoch(out), epoch, 'the last checkpoint is the one before the fault');
  assert.equal(bestChecksum(out), best, 'best/ is untouched');
  assert.deepEqual(readdirSync(out).filter((n) => n.includes('.tmp-') || n.endsWith('.entrel-old')), [], 'no half-written leftovers');
  const loaded = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'load-model-child.ts'), join(out, 'best')], { ...CHILD_LIMIT, encoding: 'utf8' });
  assert.equal(JSON.parse(loaded).outcome, 'loaded', 'best/ still loads');
}

test('a full disk stops training with one clear line; after freeing space the run resumes to the same result', async (t) => {
  assert.ok(isRoot, 'needs root to mount a tmpfs (CI runs as root)');
  const out = join(mnt, 'full');
  const first = await cli(args(out, 3, false));
  assert.equal(first.code, 0, first.stderr);
  const best = bestChecksum(out);
  // 16 KB free: room for log lines and the curve, not for another checkpoint (84 KB) or model (40 KB).
  const filler = fill(mnt, 16 * 1024);
  const r = await cli(args(out, 8));
  t.diagnostic(r.stderr.trim());
  assertStoppedCleanly(r, out, /no space left on device \(ENOSPC\)/, 3, best);
  rmSync(filler);
  const done = await cli(args(out, 8));
  assert.equal(done.code, 0, done.stderr);
  assert.equal(bestWeights(out), bestWeights(refOut), 'resumed run ends with the model of the uninterrupted one');
});

test('an unwritable output directory stops training with one clear line; the checkpoint stays loadable', async (t) => {
  const out = join(isRoot ? mnt : root, 'readonly');
  const first = await cli(args(out, 3, false));
  assert.equal(first.code, 0, first.stderr);
  const best = bestChecksum(out);
  // Root ignores permission bits, so as root the file system itself goes read-only.
  if (isRoot) execFileSync('mount', ['-o', 'remount,ro', mnt]);
  else chmodSync(out, 0o555);
  let r;
  try {
    r = await cli(args(out, 8));
  } finally {
    if (isRoot) execFileSync('mount', ['-o', 'remount,rw', mnt]);
    else chmodSync(out, 0o755);
  }
  t.diagnostic(r.stderr.trim());
  assertStoppedCleanly(r, out, /read-only file system \(EROFS\)|permission denied \(EACCES\)/, 3, best);
  const done = await cli(args(out, 8));
  assert.equal(done.code, 0, done.stderr);
  assert.equal(bestWeights(out), bestWeights(refOut), 'resumed run ends with the model of the uninterrupted one');
});

test('an output path under a regular file is one clear line', async () => {
  const r = await cli(args(join(TINY_CONFIG, 'run'), 2, false));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr.trim(), /^entrel: .*tiny\.json\/run: cannot write the output directory: a parent in the path is a file, not a directory \(ENOTDIR\)/);
});
