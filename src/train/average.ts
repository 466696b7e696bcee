/**
 * An exponential moving average of the weights (Polyak averaging), kept beside the optimiser: dev is
 * scored, and best/ written, with the averaged weights; training itself goes on from the raw ones.
 * Not in the paper. Epoch-to-epoch dev F1 of a run moves by 1–3 points, so selecting the best epoch also
 * selects luck; the average is a smoother model to select from.
 *
 * Update after every optimiser step t (1-based), TensorFlow's ExponentialMovingAverage with num_updates:
 *   d_t = min(decay, (1 + t) / (10 + t));  avg ← d_t·avg + (1 − d_t)·p
 * so the average of the first steps is not dominated by the random initial weights.
 *
 * Checkpoint state: tensors `ema/<parameter name>` and meta `emaSteps`, stored with the optimiser's.
 */
import type { NamedParameters } from '../model/types.js';
import { keep, noGrad, type Tensor } from '../tensor/index.js';
import type { Optimizer, OptimizerState } from './optim.js';

export class WeightAverage {
  private readonly avg = new Map<string, Tensor>();
  private steps = 0;

  constructor(
    private readonly params: NamedParameters,
    private readonly decay: number,
  ) {
    noGrad(() => {
      for (const [name, p] of params) this.avg.set(name, keep(p.detach().clone()));
    });
  }

  update(): void {
    this.steps++;
    const d = Math.min(this.decay, (1 + this.steps) / (10 + this.steps));
    noGrad(() => {
      for (const [name, p] of this.params) this.avg.get(name)!.mul_(d).add_(p, 1 - d);
    });
  }

  /** Runs `fn` with the averaged weights in the parameters, then puts the raw weights back. */
  async with<T>(fn: () => T | Promise<T>): Promise<T> {
    const raw = noGrad(() => new Map([...this.params].map(([name, p]) => [name, keep(p.detach().clone())])));
    noGrad(() => {
      for (const [name, p] of this.params) p.copy_(this.avg.get(name)!);
    });
    try {
      return await fn();
    } finally {
      noGrad(() => {
        for (const [name, p] of this.params) p.copy_(raw.get(name)!);
      });
      for (const t of raw.values()) t.dispose();
    }
  }

  state(): OptimizerState {
    const tensors = Object.fromEntries([...this.avg].map(([name, t]) => [`ema/${name}`, t]));
    return { tensors, meta: { emaSteps: String(this.steps) } };
  }

  load(state: OptimizerState): void {
    const steps = Number(state.meta.emaSteps);
    if (!Number.isInteger(steps) || steps < 0) throw new Error('the checkpoint holds no weight average (emaSteps)');
    for (const [name, a] of this.avg) {
      const src = state.tensors[`ema/${name}`];
      if (!src || src.shape.join() !== a.shape.join()) throw new Error(`weight average ema/${name} is missing or has the wrong shape`);
      noGrad(() => a.copy_(src));
    }
    this.steps = steps;
  }
}

/** The optimiser with the weight average updated after each of its steps; state saved together. */
export function withAverage(opt: Optimizer, avg: WeightAverage): Optimizer {
  return {
    kind: opt.kind,
    get lrScale() {
      return opt.lrScale;
    },
    set lrScale(v: number) {
      opt.lrScale = v;
    },
    step: () => {
      opt.step();
      avg.update();
    },
    zeroGrad: () => opt.zeroGrad(),
    state: () => {
      const o = opt.state();
      const a = avg.state();
      return { tensors: { ...o.tensors, ...a.tensors }, meta: { ...o.meta, ...a.meta } };
    },
    load: (state) => {
      opt.load(state);
      avg.load(state);
    },
  };
}
