/** The learning-rate schedules (plateau, time): the factor from the epochs' history, the optimiser's use of it, resume. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tensor } from '../../src/tensor/index.js';
import { parseConfig } from '../../src/train/config.js';
import { runTraining } from '../../src/train/loop.js';
import { Adam } from '../../src/train/optim.js';
import { lrScale } from '../../src/train/schedule.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';

const epochs = (flags: string, f1 = 0.5) =>
  [...flags].map((c) => ({ best: c === '*', dev: { entF1: c === '0' ? 0 : f1, relF1: c === '0' ? 0 : f1 } }));

test('lrScale: one decay per `lrPatience` epochs without a better dev score, counted again after each', () => {
  const s = { lrDecay: 0.5, lrPatience: 2, lrTimeDecay: 0 };
  assert.equal(lrScale([], s), 1);
  assert.equal(lrScale(epochs('*-'), s), 1);
  assert.equal(lrScale(epochs('*--'), s), 0.5);
  assert.equal(lrScale(epochs('*---'), s), 0.5);
  assert.equal(lrScale(epochs('*----'), s), 0.25);
  assert.equal(lrScale(epochs('*--*-'), s), 0.5, 'a new best does not undo a decay');
  assert.equal(lrScale(epochs('*-*-*-'), s), 1, 'improving every other epoch never decays');
  assert.equal(lrScale(epochs('0000'), s), 1, 'the all-O plateau (dev 0) does not count');
  assert.equal(lrScale(epochs('0000*--'), s), 0.5);
  assert.equal(lrScale(epochs('*----'), { lrDecay: 1, lrPatience: 1, lrTimeDecay: 0 }), 1, 'lrDecay 1 is off');
});

test('lrScale: the time schedule lr / (1 + ρ·epoch) (Ma & Hovy 2016), times the plateau factor', () => {
  const s = { lrDecay: 1, lrPatience: 2, lrTimeDecay: 0.05 };
  assert.equal(lrScale([], s), 1, 'epoch 0 runs at the configured rate');
  assert.equal(lrScale(epochs('*'), s), 1 / 1.05);
  assert.equal(lrScale(epochs('0000*---'), s), 1 / 1.4, 'every epoch counts, the all-O plateau as well');
  assert.equal(lrScale(epochs('*--'), { ...s, lrDecay: 0.5 }), 0.5 / 1.15);
});

test('the optimiser steps with lr × lrScale', () => {
  const run = (lr: number, scale: number) => {
    const p = tensor([1.0, -2.0], { requiresGrad: true });
    const opt = new Adam(new Map([['w', p]]), { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    opt.lrScale = scale;
    for (const g of [[0.5, -1.0], [0.25, 2.0]]) {
      p.grad = tensor(g);
      opt.step();
      opt.zeroGrad();
    }
    return [...p.toFloat64Array()];
  };
  assert.deepEqual(run(0.1, 0.25), run(0.025, 1));
  assert.notDeepEqual(run(0.1, 0.25), run(0.1, 1));
});

test('config: lrDecay in (0, 1], lrPatience a positive integer', () => {
  const data = { train: 't.json', dev: 'd.json' };
  assert.equal(parseConfig({ data }, 'cfg.json').lrDecay, 1);
  assert.throws(() => parseConfig({ data, lrDecay: 0 }, 'cfg.json'), /cfg\.json.*lrDecay/);
  assert.throws(() => parseConfig({ data, lrDecay: 1.5 }, 'cfg.json'), /lrDecay/);
  assert.throws(() => parseConfig({ data, lrPatience: 0 }, 'cfg.json'), /lrPatience/);
  assert.equal(parseConfig({ data }, 'cfg.json').lrTimeDecay, 0);
  assert.throws(() => parseConfig({ data, lrTimeDecay: -0.05 }, 'cfg.json'), /cfg\.json.*lrTimeDecay/);
});

test('a decaying run logs its factor per epoch and resumes after a kill to the same weights', async () => {
  const root = tempDir('entrel-schedule-');
  const cfg = toyConfig({ epochs: 12, patience: 0, lrDecay: 0.5, lrPatience: 1 });
  const ref = new ToyTask();
  const a = await runTraining(ref, cfg, join(root, 'ref'), 'nn', { quiet: true });
  const scales = a.history.map((r) => r.lrScale!);
  assert.equal(scales[0], 1);
  assert.ok(scales.at(-1)! < 1, `the toy task plateaus within 12 epochs: ${scales}`);
  assert.deepEqual(scales, a.history.map((_, i) => lrScale(a.history.slice(0, i), cfg)));
  const out = join(root, 'killed');
  await assert.rejects(
    runTraining(new ToyTask(), cfg, out, 'nn', { quiet: true, onEpoch: (r) => { if (r.epoch === 7) throw new Error('kill'); } }),
    /kill/,
  );
  const again = new ToyTask();
  const b = await runTraining(again, cfg, out, 'nn', { quiet: true, resume: true });
  assert.equal(again.checksum(), ref.checksum());
  assert.deepEqual(b.history.map((r) => r.lrScale), scales);
});

test('a time-decayed run logs lr / (1 + ρ·epoch) and resumes after a kill to the same weights', async () => {
  const root = tempDir('entrel-schedule-');
  const cfg = toyConfig({ epochs: 8, patience: 0, lrTimeDecay: 0.5 });
  const ref = new ToyTask();
  const a = await runTraining(ref, cfg, join(root, 'ref'), 'nn', { quiet: true });
  assert.deepEqual(a.history.map((r) => r.lrScale), a.history.map((_, e) => 1 / (1 + 0.5 * e)));
  const out = join(root, 'killed');
  await assert.rejects(runTraining(new ToyTask(), cfg, out, 'nn', { quiet: true, onEpoch: (r) => { if (r.epoch === 5) throw new Error('kill'); } }), /kill/);
  const again = new ToyTask();
  await runTraining(again, cfg, out, 'nn', { quiet: true, resume: true });
  assert.equal(again.checksum(), ref.checksum());
  const constant = new ToyTask();
  await runTraining(constant, toyConfig({ epochs: 8, patience: 0 }), join(root, 'constant'), 'nn', { quiet: true });
  assert.notEqual(constant.checksum(), ref.checksum(), 'the schedule changes the updates');
});
