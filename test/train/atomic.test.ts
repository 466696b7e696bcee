/** Checkpoints and model directories are replaced atomically; write failures are one-line user errors. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isUserError } from '../../src/errors.js';
import { writeDirAtomic } from '../../src/data/atomic.js';
import { hasCheckpoint, readCheckpointState } from '../../src/train/checkpoint.js';
import { runTraining } from '../../src/train/loop.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-atomic-');

test('a failure while writing a directory leaves the previous version intact', async () => {
  const dir = join(root, 'd');
  await writeDirAtomic(dir, 'test', (tmp) => writeFileSync(join(tmp, 'a'), 'v1'));
  await assert.rejects(
    writeDirAtomic(dir, 'test', (tmp) => {
      writeFileSync(join(tmp, 'a'), 'v2-partial');
      throw new Error('disk died');
    }),
    /disk died/,
  );
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'v1');
  assert.deepEqual(readdirSync(root).sort(), ['d']);
});

test('a crash between the two renames is recovered from the hidden old copy', async () => {
  const out = join(root, 'run');
  const task = new ToyTask();
  await runTraining(task, toyConfig({ epochs: 2 }), out, 'nn', { quiet: true });
  renameSync(join(out, 'last'), join(out, '.last.entrel-old')); // as if killed right after the first rename
  assert.ok(hasCheckpoint(join(out, 'last')), 'hasCheckpoint(join(out, \'last\'))');
  const state = readCheckpointState(join(out, 'last'), 'nn');
  assert.equal(state.epoch, 2);
});

test('a full disk stops training with one line and keeps the last good checkpoint', async () => {
  const out = join(root, 'full');
  await runTraining(new ToyTask(), toyConfig({ epochs: 1 }), out, 'nn', { quiet: true });
  const before = readFileSync(join(out, 'last', 'weights.safetensors'));
  const failing = new ToyTask();
  failing.evaluateDev = () => ({ entF1: 1, relF1: 2 }); // always a new best, so best/ is written
  failing.saveModel = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  const err = await runTraining(failing, toyConfig({ epochs: 3 }), out, 'nn', { quiet: true, resume: true }).catch((e) => e);
  assert.ok(isUserError(err), String(err));
  assert.match(err.message, /cannot write the best model: no space left on device \(ENOSPC\); the last complete checkpoint is kept/);
  assert.ok(!err.message.includes('\n'), '!err.message.includes(\'\\n\')');
  assert.deepEqual(readFileSync(join(out, 'last', 'weights.safetensors')), before);
  assert.equal(readCheckpointState(join(out, 'last'), 'nn').epoch, 1);
  assert.ok(existsSync(join(out, 'best', 'weights.safetensors')), 'existsSync(join(out, \'best\', \'weights.safetensors\'))');
});

test('an unwritable output directory is a one-line user error', async () => {
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const err = await runTraining(new ToyTask(), toyConfig(), join(file, 'out'), 'nn', { quiet: true }).catch((e) => e);
  assert.ok(isUserError(err), 'isUserError(err)');
  assert.match(err.message, /cannot write the output directory: a parent in the path is a file, not a directory \(ENOTDIR\)/);
});

test('a directory write over a file of the user is refused, and the file is kept', async () => {
  const file = join(root, 'users-file');
  writeFileSync(file, 'mine');
  const err = await writeDirAtomic(file, 'the brat output', (tmp) => writeFileSync(join(tmp, 'a.txt'), 'x')).catch((e) => e);
  assert.ok(isUserError(err), String(err));
  assert.match(err.message, /users-file: cannot write the brat output: a file is in the way \(it must be a directory\)/);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
});
