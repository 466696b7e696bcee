/**
 * Two processes swapping in the same directory at once (two `train --out X` runs, or `calibrate` while
 * `train` saves): each swap moves the previous version aside and the new one in, and a second writer
 * acting between those two renames would put the old one back or fail on it. The swaps of one target are
 * serialised by a lock file beside it (data/swap-lock.ts), so every write lands whole and the last one wins.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recoverDir, writeDirAtomicSync } from '../../src/data/atomic.js';
import { withSwapLock } from '../../src/data/swap-lock.js';
import { isUserError } from '../../src/errors.js';
import { tempDir } from '../temp-dir.js';

const atomic = fileURLToPath(new URL('../../src/data/atomic.ts', import.meta.url));
const WRITES = 150;

/** A process that swaps in `target` WRITES times, each version two files naming the writer and the round. */
function writer(target: string, name: string): Promise<{ code: number | null; stderr: string }> {
  const script = `
    import { writeFileSync } from 'node:fs';
    import { join } from 'node:path';
    import { writeDirAtomicSync } from ${JSON.stringify(atomic)};
    for (let i = 0; i < ${WRITES}; i++)
      writeDirAtomicSync(${JSON.stringify(target)}, 'the model', (tmp) => {
        for (const f of ['a', 'b']) writeFileSync(join(tmp, f), '${name} ' + i);
      });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('three processes swapping in one directory at once all succeed, and it ends whole', async () => {
  const dir = tempDir('entrel-concurrent-');
  const target = join(dir, 'model');
  writeDirAtomicSync(target, 'the model', (tmp) => writeFileSync(join(tmp, 'a'), 'first'));
  const results = await Promise.all(['x', 'y', 'z'].map((n) => writer(target, n)));
  for (const r of results) assert.deepEqual(r, { code: 0, stderr: '' });
  assert.deepEqual(readdirSync(dir), ['model'], 'no temporary directory, old copy or lock left');
  const a = readFileSync(join(target, 'a'), 'utf8');
  assert.match(a, new RegExp(`^[xyz] ${WRITES - 1}$`), 'the last version of one of the writers');
  assert.equal(readFileSync(join(target, 'b'), 'utf8'), a, 'both files from the same version');
  assert.equal(existsSync(join(dir, '.model.entrel-lock')), false);
});

test("a killed writer's lock is taken over, and a checkpoint read recovers under the lock", () => {
  const dir = tempDir('entrel-stale-lock-');
  const target = join(dir, 'last');
  writeFileSync(join(dir, '.last.entrel-lock'), '99999:0123abcd'); // no such process
  writeDirAtomicSync(target, 'the checkpoint', (tmp) => writeFileSync(join(tmp, 'state.json'), '{}'));
  assert.deepEqual(readdirSync(dir), ['last']);
  // Killed between its two renames, holding the lock: the old copy goes back in place.
  renameSync(target, join(dir, '.last.entrel-old'));
  writeFileSync(join(dir, '.last.entrel-lock'), '99999');
  recoverDir(target, 'the checkpoint');
  assert.deepEqual(readdirSync(dir), ['last']);
  assert.equal(readFileSync(join(target, 'state.json'), 'utf8'), '{}');
});

test('a takeover guard left by a killed waiter is not removed by another (that could let two in): the error says what to remove', () => {
  const dir = tempDir('entrel-stuck-guard-');
  const target = join(dir, 'last');
  writeFileSync(join(dir, '.last.entrel-lock'), '99999:0123abcd');
  writeFileSync(join(dir, '.last.entrel-lock.takeover'), '99998:takeover');
  assert.throws(
    () => withSwapLock(target, 'the checkpoint', () => assert.fail('entered'), 50),
    (e: unknown) => isUserError(e) && /the lock of the checkpoint is stale, but .*\.last\.entrel-lock\.takeover has been held for 0\.05 s .*remove both files/.test(e.message),
  );
  rmSync(join(dir, '.last.entrel-lock.takeover'));
  assert.equal(withSwapLock(target, 'the checkpoint', () => 'in', 50), 'in');
  assert.deepEqual(readdirSync(dir), []);
});

test("another host's lock (a shared volume) is not judged by this host's pids: it is waited for until it is old", () => {
  const dir = tempDir('entrel-foreign-lock-');
  const target = join(dir, 'last');
  const lock = join(dir, '.last.entrel-lock');
  writeFileSync(lock, '99999:0123abcd:some-other-host'); // a pid that is not running here
  assert.throws(() => withSwapLock(target, 'the model', () => assert.fail('entered'), 50), (e: unknown) => isUserError(e) && /another process \(pid 99999\) has been replacing the model/.test(e.message));
  const old = new Date(Date.now() - 11 * 60_000);
  utimesSync(lock, old, old);
  assert.equal(withSwapLock(target, 'the model', () => 'in', 50), 'in');
});
