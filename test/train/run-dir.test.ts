/**
 * What a run directory protects (review 10b): a model without its checkpoint is not overwritten by
 * --resume; one process trains in a directory at a time; a resume with another thread count says it is
 * no longer bit for bit the uninterrupted run; a log lost or damaged since the checkpoint is rebuilt.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkRunStart, runTraining } from '../../src/train/loop.js';
import { RUN_LOCK } from '../../src/train/run-lock.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-run-dir-');
const logLines = (dir: string) => readFileSync(join(dir, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const quiet = { quiet: true, onWarning: () => {} };

test('a model whose checkpoint is gone is not overwritten, with --resume or without', async () => {
  const out = join(root, 'no-last');
  await runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', quiet);
  rmSync(join(out, 'last'), { recursive: true });
  const best = readFileSync(join(out, 'best', 'weights.safetensors'));
  for (const resume of [false, true])
    await assert.rejects(
      runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', { ...quiet, resume }),
      (e: Error) => e.message.includes('holds a trained model (best/) but no checkpoint to continue it from') && (resume ? /--resume would start a new run over it/.test(e.message) : true),
    );
  assert.deepEqual(readFileSync(join(out, 'best', 'weights.safetensors')), best);
  assert.equal(logLines(out).filter((r) => r.type === 'epoch').length, 2, 'the log is kept');
});

test('a run directory is locked while a run trains in it; a lock left by a killed process is taken over', async () => {
  const out = join(root, 'locked');
  let second: Promise<unknown> | undefined;
  await runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', {
    ...quiet,
    onEpoch: () => {
      second ??= runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', { ...quiet, resume: true });
    },
  });
  await assert.rejects(second!, new RegExp(`is being trained by process ${process.pid}: wait for it to end or stop it`));
  assert.ok(!existsSync(join(out, RUN_LOCK)), 'freed at the end');
  // A lock of a process that is gone (a child that exited), as after a kill -9.
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await new Promise((r) => child.on('exit', r));
  writeFileSync(join(out, RUN_LOCK), `${pid}:0123456789abcdef:${(await import('node:os')).hostname()}`);
  const r = await runTraining(new ToyTask(), toyConfig({ epochs: 3 }), out, 'nn', { ...quiet, resume: true });
  assert.equal(r.epochs, 3);
  // A process that runs (this test's parent) holds it.
  writeFileSync(join(out, RUN_LOCK), `${process.ppid}:0123456789abcdef:${(await import('node:os')).hostname()}`);
  await assert.rejects(runTraining(new ToyTask(), toyConfig({ epochs: 4 }), out, 'nn', { ...quiet, resume: true }), new RegExp(`is being trained by process ${process.ppid}`));
  writeFileSync(join(out, RUN_LOCK), `${process.ppid}:0123456789abcdef:another-host`);
  await assert.rejects(runTraining(new ToyTask(), toyConfig({ epochs: 4 }), out, 'nn', { ...quiet, resume: true }), /on host another-host .*remove .*\.entrel-run-lock/);
});

test('a resume with another thread count warns that it is no longer bit for bit the uninterrupted run', async () => {
  const out = join(root, 'threads');
  await runTraining(new ToyTask(), toyConfig({ epochs: 1 }), out, 'nn', quiet);
  const warnings: string[] = [];
  await runTraining(new ToyTask(), toyConfig({ epochs: 2, threads: 2 }), out, 'nn', { quiet: true, resume: true, onWarning: (m) => warnings.push(m) });
  assert.ok(warnings.some((m) => /resumed with threads 2, not the run's 1: .*not bit for bit/.test(m)), JSON.stringify(warnings));
  const resume = logLines(out).find((r) => r.type === 'resume');
  assert.deepEqual([resume.epochs, resume.threads], [2, 2], 'the resume line records the budget and threads it ran with');
});

test('a log deleted or damaged since the checkpoint is rebuilt from it, with a warning', async () => {
  for (const damage of ['deleted', 'garbage', 'cut'] as const) {
    const out = join(root, `log-${damage}`);
    await runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', quiet);
    const logFile = join(out, 'train.log.jsonl');
    if (damage === 'deleted') rmSync(logFile);
    else if (damage === 'garbage') writeFileSync(logFile, 'garbage\n');
    else writeFileSync(logFile, readFileSync(logFile, 'utf8').slice(0, 40));
    const warnings: string[] = [];
    await runTraining(new ToyTask(), toyConfig({ epochs: 3 }), out, 'nn', { quiet: true, resume: true, onWarning: (m) => warnings.push(m) });
    assert.ok(warnings.some((m) => m.startsWith(`${logFile}: not the log the checkpoint was written with`)), `${damage}: ${JSON.stringify(warnings)}`);
    const types = logLines(out).map((r) => (r.type === 'epoch' ? `epoch ${r.epoch}` : r.type));
    assert.deepEqual(types, ['start', 'epoch 1', 'epoch 2', 'resume', 'epoch 3', 'end'], damage);
  }
});

test('a best/ written in an unfinished first epoch (validateEvery) does not block the run from starting again', async () => {
  for (const resume of [false, true]) {
    const out = join(root, `mid-epoch-${resume}`);
    const config = toyConfig({ epochs: 2, validateEvery: 8 });
    const stop = () => (existsSync(join(out, 'best')) ? 'SIGINT' : undefined);
    await assert.rejects(runTraining(new ToyTask(), config, out, 'nn', { ...quiet, stopRequested: stop }), /no epoch was completed/);
    assert.ok(existsSync(join(out, 'best')) && !existsSync(join(out, 'last')), 'best/ of the first epoch, no checkpoint');
    assert.equal((await runTraining(new ToyTask(), config, out, 'nn', { ...quiet, resume })).epochs, 2, `resume ${resume}`);
  }
});

test('a run checks the lock before reading data, and a stale takeover guard does not hold it up', async () => {
  const out = join(root, 'check-lock');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, RUN_LOCK), `${process.ppid}:0123456789abcdef:${hostname()}`);
  assert.throws(() => checkRunStart(toyConfig(), out, { resume: true }), new RegExp(`is being trained by process ${process.ppid}: .*if process ${process.ppid} is not entrel, it took the pid of a run that was killed`));
  // A killed owner, and a takeover guard left by a process killed while taking it over.
  writeFileSync(join(out, RUN_LOCK), `999999999:0123456789abcdef:${hostname()}`);
  writeFileSync(join(out, `${RUN_LOCK}.takeover`), `999999999:takeover:${hostname()}`);
  const old = new Date(Date.now() - 60_000);
  utimesSync(join(out, `${RUN_LOCK}.takeover`), old, old);
  const t0 = performance.now();
  assert.equal((await runTraining(new ToyTask(), toyConfig({ epochs: 1 }), out, 'nn', quiet)).epochs, 1);
  assert.ok(performance.now() - t0 < 15_000, `took ${Math.round(performance.now() - t0)} ms`);
});
