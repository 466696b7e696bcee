/**
 * A tiny TrainTask on the tensor engine alone (a dropout + linear classifier of 2-D points), to test
 * the training loop's resume and checkpoint behaviour without the joint model. It uses both random
 * streams as the real task does: libtorch's (dropout) and the trainer's (label noise, like scheduled
 * sampling).
 */
import { join } from 'node:path';
import { crossEntropy, dropout, linear, randNormal, saveSafetensors, tensor, manualSeed, noGrad, type Tensor } from '../../src/tensor/index.js';
import { parseConfig } from '../../src/train/config.js';
import type { TrainConfig } from '../../src/train/config-schema.js';
import type { BatchLoss, DevScores, TrainTask } from '../../src/train/loop.js';

const N = 40;
const xs: number[][] = [];
const ys: number[] = [];
for (let i = 0; i < N; i++) {
  const a = (i * 2.399) % (2 * Math.PI);
  const r = 0.5 + (i % 5) / 5;
  xs.push([r * Math.cos(a), r * Math.sin(a)]);
  ys.push(Math.floor(a / ((2 * Math.PI) / 3)));
}

export class ToyTask implements TrainTask {
  readonly params: Map<string, Tensor>;
  readonly size = N;
  private training = false;
  saves = 0;
  /** Throws in this (epoch, batch) to simulate a crash. */
  failAt?: { epoch: number; batch: number };
  private batchNo = 0;

  constructor() {
    manualSeed(123); // the initial weights do not depend on the run's seed, as in a real model build
    this.params = new Map([
      ['w', randNormal([3, 2]).mul(0.1).detach().requiresGrad_()],
      ['b', tensor([0, 0, 0]).requiresGrad_()],
    ]);
  }

  setTraining(on: boolean): void {
    this.training = on;
    this.batchNo = 0;
  }

  batchLoss(indices: number[], ctx: { epoch: number; rng: { random(): number } }): BatchLoss {
    if (this.failAt && this.failAt.epoch === ctx.epoch && this.failAt.batch === this.batchNo) throw new Error('simulated crash');
    this.batchNo++;
    const x = tensor(indices.map((i) => xs[i]));
    const y = tensor(indices.map((i) => (ctx.rng.random() < 0.1 ? (ys[i] + 1) % 3 : ys[i])), { dtype: 'int64' });
    const logits = linear(dropout(x, 0.2, this.training), this.params.get('w')!, this.params.get('b')!);
    const loss = crossEntropy(logits, y);
    return { loss, parts: { ce: loss }, pairs: indices.length };
  }

  evaluateDev(): DevScores {
    return noGrad(() => {
      const logits = linear(tensor(xs), this.params.get('w')!, this.params.get('b')!);
      const pred = [...(logits.argmax(1).toTypedArray() as BigInt64Array)].map(Number);
      const acc = pred.filter((p, i) => p === ys[i]).length / N;
      return { entF1: acc, relF1: acc };
    });
  }

  saveModel(dir: string): void {
    this.saves++;
    saveSafetensors(join(dir, 'weights.safetensors'), Object.fromEntries(this.params));
  }

  checksum(): string {
    return [...this.params.values()].map((p) => Buffer.from((p.toTypedArray() as Float32Array).buffer).toString('hex')).join(':');
  }
}

export function toyConfig(over: Partial<TrainConfig> = {}): TrainConfig {
  return { ...parseConfig({ data: { train: 'x', dev: 'y' }, batchSize: 8, epochs: 5, patience: 0, threads: 1, optimizer: 'adam', seed: 7 }, 'toy'), ...over };
}
