/**
 * The weight average (config `ema`): its update rule, scoring with the averaged weights and putting the
 * raw ones back, and exact resume with the average in the checkpoint.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSafetensors, tensor, type Tensor } from '../../src/tensor/index.js';
import { WeightAverage } from '../../src/train/average.js';
import { runTraining } from '../../src/train/loop.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';

const values = (t: Tensor) => [...(t.toTypedArray() as Float32Array)];
const root = tempDir('entrel-ema-');

test('the average follows d_t = min(decay, (1+t)/(10+t)) from the initial weights', async () => {
  const p = tensor([1, 2]);
  const avg = new WeightAverage(new Map([['p', p]]), 0.5);
  let want = [1, 2];
  // (1+t)/(10+t) passes 0.5 at t = 8: the first updates use the warm-up rate, the later ones the decay.
  for (let t = 1; t <= 12; t++) {
    const v = [t % 3, -t];
    p.copy_(tensor(v));
    avg.update();
    const d = Math.min(0.5, (1 + t) / (10 + t));
    want = want.map((a, i) => d * a + (1 - d) * v[i]);
  }
  const seen = await avg.with(() => values(p));
  seen.forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-5, `average ${seen} vs ${want}`));
  assert.deepEqual(values(p), [0, -12], 'the raw weights are back after with()');
});

test('with() puts the raw weights back when the scoring throws', async () => {
  const p = tensor([7, 8]);
  const avg = new WeightAverage(new Map([['p', p]]), 0.9);
  p.copy_(tensor([1, 1]));
  avg.update();
  await assert.rejects(avg.with(() => { throw new Error('dev failed'); }), /dev failed/);
  assert.deepEqual(values(p), [1, 1]);
});

test('a run with ema scores dev and writes best/ with the averaged weights, and resumes exactly', async () => {
  const config = toyConfig({ ema: 0.9 });
  const refTask = new ToyTask();
  const ref = await runTraining(refTask, config, join(root, 'ref'), 'nn', { quiet: true });
  const plain = await runTraining(new ToyTask(), toyConfig(), join(root, 'plain'), 'nn', { quiet: true });
  assert.deepEqual(ref.history.map((r) => r.loss), plain.history.map((r) => r.loss), 'averaging does not change training');
  assert.notDeepEqual(ref.history.map((r) => r.dev), plain.history.map((r) => r.dev), 'dev is scored with other weights');
  const best = loadSafetensors(join(root, 'ref', 'best', 'weights.safetensors')).tensors;
  const last = loadSafetensors(join(root, 'ref', 'last', 'weights.safetensors')).tensors;
  assert.notDeepEqual(values(best.w), values(last.w), 'best/ holds averaged weights, last/ the raw ones');

  const out = join(root, 'killed');
  await assert.rejects(runTraining(new ToyTask(), config, out, 'nn', { quiet: true, onEpoch: (r) => { if (r.epoch === 2) throw new Error('kill'); } }), /kill/);
  const task = new ToyTask();
  const res = await runTraining(task, config, out, 'nn', { quiet: true, resume: true });
  assert.equal(task.checksum(), refTask.checksum());
  assert.deepEqual(res.history.map((r) => r.dev), ref.history.map((r) => r.dev));
  assert.equal(readFileSync(join(out, 'best', 'weights.safetensors')).equals(readFileSync(join(root, 'ref', 'best', 'weights.safetensors'))), true);
});

/** Dev improves every epoch, so best/ is written after the last step: it must hold the average then. */
class RisingDev extends ToyTask {
  private calls = 0;
  override evaluateDev() {
    this.calls++;
    return { entF1: this.calls / 10, relF1: this.calls / 10 };
  }
}

test('best/ holds the average saved with the optimiser state at that step', async () => {
  const out = join(root, 'rising');
  const res = await runTraining(new RisingDev(), toyConfig({ ema: 0.9 }), out, 'nn', { quiet: true });
  assert.equal(res.bestEpoch, res.epochs);
  const best = loadSafetensors(join(out, 'best', 'weights.safetensors')).tensors;
  const saved = loadSafetensors(join(out, 'last', 'optimizer.safetensors'));
  assert.deepEqual(values(best.w), values(saved.tensors['ema/w']));
  assert.deepEqual(values(best.b), values(saved.tensors['ema/b']));
  assert.equal(saved.metadata.emaSteps, String(5 * Math.ceil(40 / 8)));
});
