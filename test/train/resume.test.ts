/**
 * Resume after a kill reproduces the uninterrupted run exactly (same weights bit for bit, same dev
 * scores), whether the kill came right after a checkpoint or in the middle of an epoch.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withInterrupts } from '../../src/cli/interrupt.js';
import { Interrupted, UserError } from '../../src/errors.js';
import { runTraining } from '../../src/train/loop.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-resume-');
const logLines = (dir: string) => readFileSync(join(dir, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const epochLines = (dir: string) => logLines(dir).filter((r) => r.type === 'epoch');

let refs = 0;
async function reference() {
  const task = new ToyTask();
  const res = await runTraining(task, toyConfig(), join(root, `ref${refs++}`), 'nn', { quiet: true });
  return { res, sum: task.checksum() };
}

test('resume after a kill between epochs equals the uninterrupted run', async () => {
  const ref = await reference();
  const out = join(root, 'killed-after');
  const first = new ToyTask();
  await assert.rejects(
    runTraining(first, toyConfig(), out, 'nn', { quiet: true, onEpoch: (r) => { if (r.epoch === 2) throw new Error('kill'); } }),
    /kill/,
  );
  const second = new ToyTask();
  const res = await runTraining(second, toyConfig(), out, 'nn', { quiet: true, resume: true });
  assert.equal(second.checksum(), ref.sum);
  assert.equal(res.bestScore, ref.res.bestScore);
  assert.deepEqual(res.history.map((r) => [r.loss, r.dev]), ref.res.history.map((r) => [r.loss, r.dev]));
  assert.deepEqual(epochLines(out).map((r) => r.epoch), [1, 2, 3, 4, 5]);
  // The start and the resume both say which machine ran them: a rerun elsewhere may differ in its last bits.
  const marks = logLines(out).filter((r) => r.type === 'start' || r.type === 'resume');
  assert.deepEqual(marks.map((r) => r.type), ['start', 'resume']);
  for (const { machine } of marks) {
    assert.equal(machine.cpu, cpus()[0]!.model.trim());
    assert.equal(machine.cores, cpus().length);
    assert.equal(machine.threads, toyConfig().threads);
    assert.equal(machine.node, process.version);
  }
});

test('Ctrl-C during the end-of-epoch dev evaluation stops the run after that epoch, before another batch; the resume equals the uninterrupted run', async () => {
  /** Sends this process SIGINT while scoring dev at the end of epoch 2 (synchronous work, as the real evaluation is); counts the batches after it. */
  class SignalledDuringDev extends ToyTask {
    private devCalls = 0;
    batchesAfterSignal = -1;
    override evaluateDev() {
      if (++this.devCalls === 2) {
        process.kill(process.pid, 'SIGINT');
        this.batchesAfterSignal = 0;
      }
      return super.evaluateDev();
    }
    override batchLoss(indices: number[], ctx: { epoch: number; rng: { random(): number } }) {
      if (this.batchesAfterSignal >= 0) this.batchesAfterSignal++;
      return super.batchLoss(indices, ctx);
    }
  }
  const ref = await reference();
  const out = join(root, 'sigint-at-dev');
  const first = new SignalledDuringDev();
  // It said "interrupted (SIGINT) in epoch 3; the checkpoint after epoch 2 is kept", after a batch of epoch 3.
  await assert.rejects(
    withInterrupts((stopRequested) => runTraining(first, toyConfig(), out, 'nn', { quiet: true, stopRequested }), true),
    (e: unknown) => {
      assert.ok(e instanceof Interrupted, String(e));
      assert.equal(e.message, `${out}: interrupted (SIGINT) after epoch 2; the checkpoint after epoch 2 is kept in ${join(out, 'last')}: run the same command with --resume to continue`);
      return true;
    },
  );
  assert.equal(first.batchesAfterSignal, 0, 'no batch of epoch 3 was run');
  assert.deepEqual(epochLines(out).map((r) => r.epoch), [1, 2]);
  const second = new ToyTask();
  const res = await runTraining(second, toyConfig(), out, 'nn', { quiet: true, resume: true });
  assert.equal(second.checksum(), ref.sum);
  assert.deepEqual(res.history.map((r) => [r.loss, r.dev]), ref.res.history.map((r) => [r.loss, r.dev]));
});

test('resume after a crash in the middle of an epoch equals the uninterrupted run', async () => {
  const ref = await reference();
  const out = join(root, 'killed-mid');
  const first = new ToyTask();
  first.failAt = { epoch: 3, batch: 2 };
  await assert.rejects(runTraining(first, toyConfig(), out, 'nn', { quiet: true }), /simulated crash/);
  const second = new ToyTask();
  await runTraining(second, toyConfig(), out, 'nn', { quiet: true, resume: true });
  assert.equal(second.checksum(), ref.sum);
  assert.deepEqual(epochLines(out).map((r) => r.dev), ref.res.history.map((r) => r.dev));
});

test('a finished run resumes to the same result; a second run into the same directory is refused', async () => {
  const out = join(root, 'finished');
  const a = await runTraining(new ToyTask(), toyConfig(), out, 'nn', { quiet: true });
  const again = new ToyTask();
  const b = await runTraining(again, toyConfig(), out, 'nn', { quiet: true, resume: true });
  assert.equal(b.epochs, a.epochs);
  assert.equal(again.saves, 0);
  await assert.rejects(runTraining(new ToyTask(), toyConfig(), out, 'nn', { quiet: true }), /already holds a training run/);
});

test('resuming with a different config is refused', async () => {
  const out = join(root, 'changed');
  await runTraining(new ToyTask(), toyConfig({ epochs: 1 }), out, 'nn', { quiet: true });
  await assert.rejects(runTraining(new ToyTask(), toyConfig({ epochs: 2, seed: 8 }), out, 'nn', { quiet: true, resume: true }), /cannot resume with a different "seed"/);
  const r = await runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', { quiet: true, resume: true });
  assert.equal(r.epochs, 2);
});

test('a changed nested setting is named down to its leaf', async () => {
  const out = join(root, 'changed-nested');
  const config = toyConfig({ epochs: 1 });
  await runTraining(new ToyTask(), config, out, 'nn', { quiet: true });
  const changed = { ...config, epochs: 2, model: { ...config.model, dropout: 0.25 } };
  await assert.rejects(
    runTraining(new ToyTask(), changed, out, 'nn', { quiet: true, resume: true }),
    (e: Error) =>
      /cannot resume with a different "model\.dropout" \(0\.5 in the checkpoint, 0\.25 now\); .*; to resume it as it was: --set model\.dropout=0\.5$/.test(e.message) && e.message.length < 300,
  );
});

test('a setting removed since the checkpoint is "none" now, not "undefined" (review 18a finding 10)', async () => {
  const out = join(root, 'changed-removed');
  const config = toyConfig({ epochs: 1 });
  const typed = { ...config, data: { ...config.data, types: '/data/types.json' } };
  await runTraining(new ToyTask(), typed, out, 'nn', { quiet: true });
  await assert.rejects(
    runTraining(new ToyTask(), { ...config, epochs: 2 }, out, 'nn', { quiet: true, resume: true }),
    /cannot resume with a different "data\.types" \("\/data\/types\.json" in the checkpoint, none now\); .*; to resume it as it was: --set data\.types="\/data\/types\.json"$/,
  );
});

test('every changed setting is given back in the hint, so that it resumes the run (an old gamma=false run meets two new defaults)', async () => {
  const out = join(root, 'changed-two');
  const config = toyConfig({ epochs: 1 });
  await runTraining(new ToyTask(), config, out, 'nn', { quiet: true });
  const changed = { ...config, epochs: 2, mrt: { ...config.mrt, alpha: 1e-4, K: 3 } };
  await assert.rejects(
    runTraining(new ToyTask(), changed, out, 'nn', { quiet: true, resume: true }),
    /cannot resume with a different "mrt\.alpha" \(1 in the checkpoint, 0\.0001 now\) and 1 other setting; .*; to resume it as it was: --set mrt\.alpha=1 mrt\.K=2$/,
  );
  await runTraining(new ToyTask(), { ...changed, mrt: config.mrt }, out, 'nn', { quiet: true, resume: true });
});

test('an --out whose last/ is not a checkpoint is refused, and nothing in it is deleted', async () => {
  const out = join(root, 'foreign');
  mkdirSync(join(out, 'last'), { recursive: true });
  writeFileSync(join(out, 'last', 'mine.txt'), 'precious');
  for (const resume of [false, true])
    await assert.rejects(runTraining(new ToyTask(), toyConfig(), out, 'nn', { quiet: true, resume }), /last: exists but holds no training checkpoint/);
  assert.equal(readFileSync(join(out, 'last', 'mine.txt'), 'utf8'), 'precious');
});

test('early stopping after `patience` epochs without improvement', async () => {
  const res = await runTraining(new ToyTask(), toyConfig({ epochs: 50, patience: 2 }), join(root, 'patience'), 'nn', { quiet: true });
  assert.ok(res.epochs < 50, 'res.epochs < 50');
  assert.equal(res.epochs - res.bestEpoch, 2);
});

test('the log of a finished run resumed (again, or for more epochs) ends with exactly one `end`, after its `resume`', async () => {
  const out = join(root, 'log-ends');
  await runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', { quiet: true });
  await runTraining(new ToyTask(), toyConfig({ epochs: 2 }), out, 'nn', { quiet: true, resume: true });
  await runTraining(new ToyTask(), toyConfig({ epochs: 3 }), out, 'nn', { quiet: true, resume: true });
  const types = logLines(out).map((r) => (r.type === 'epoch' ? `epoch ${r.epoch}` : r.type));
  // The log goes back to the last checkpoint at each resume: a resume that ran no epoch leaves nothing.
  assert.deepEqual(types, ['start', 'epoch 1', 'epoch 2', 'resume', 'epoch 3', 'end']);
  assert.equal(logLines(out).at(-1).epochs, 3);
});

test('a loss that leaves the finite numbers ends the run with a user error, keeping the last checkpoint', async () => {
  class Diverging extends ToyTask {
    override batchLoss(indices: number[], ctx: { epoch: number; rng: { random(): number } }) {
      const out = super.batchLoss(indices, ctx);
      return ctx.epoch === 2 ? { ...out, loss: out.loss.mul(Number.NaN) } : out;
    }
  }
  const out = join(root, 'diverged');
  const task = new Diverging();
  await assert.rejects(runTraining(task, toyConfig(), out, 'nn', { quiet: true }), (e: unknown) =>
    e instanceof UserError && e.message === `${out}: training diverged: the loss is NaN in epoch 3, batch 1 (the checkpoint after epoch 2 is kept in ${join(out, 'last')}); train again into a new --out with a lower adam.lr (now 0.001) or smaller loss weights`);
  assert.deepEqual(epochLines(out).map((r) => r.epoch), [1, 2]);
});

test('weights left NaN by a finite loss (0·∞ in the gradient) end the run before they are scored or kept', async () => {
  const config = toyConfig();
  const lastBatch = Math.ceil(new ToyTask().size / config.batchSize);
  class Poisoning extends ToyTask {
    private batch = 0;
    override setTraining(on: boolean): void {
      super.setTraining(on);
      this.batch = 0;
    }
    override batchLoss(indices: number[], ctx: { epoch: number; rng: { random(): number } }) {
      const out = super.batchLoss(indices, ctx);
      // In epoch 3's last batch only: √(0·b) adds 0 to the loss, and ∞·0 = NaN to b's gradient.
      if (ctx.epoch !== 2 || ++this.batch !== lastBatch) return out;
      return { ...out, loss: out.loss.add(this.params.get('b')!.mul(0).sqrt().sum()) };
    }
  }
  const out = join(root, 'poisoned');
  await assert.rejects(runTraining(new Poisoning(), config, out, 'nn', { quiet: true }), (e: unknown) =>
    e instanceof UserError &&
    e.message === `${out}: training diverged: the loss is finite, but "b" holds NaN or infinite values in epoch 3 (the checkpoint after epoch 2 is kept in ${join(out, 'last')}); train again into a new --out with a lower adam.lr (now 0.001) or smaller loss weights`);
  assert.deepEqual(epochLines(out).map((r) => r.epoch), [1, 2]);
});
