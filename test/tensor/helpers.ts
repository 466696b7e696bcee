import assert from 'node:assert/strict';
import { Tensor, noGrad, tensor, tidy } from '../../src/tensor/index.js';

export function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, msg = ''): void {
  assert.equal(actual.length, expected.length, `${msg} length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) assert.fail(`${msg} element ${i}: ${a} vs expected ${e} (tol ${tol})`);
  }
}

export function flat(t: Tensor): number[] {
  return Array.from(t.toFloat64Array());
}

/** Deterministic pseudo-random numbers (LCG) for test inputs. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface GradInput {
  shape: number[];
  data?: number[];
  /** default: uniform in [lo, hi) */
  lo?: number;
  hi?: number;
}

/**
 * Checks the analytic gradient of `f` (built from float64 inputs) against central finite differences.
 * The output is reduced with fixed random weights so every output element matters.
 */
export function gradcheck(name: string, f: (xs: Tensor[]) => Tensor, inputs: GradInput[], opts: { eps?: number; tol?: number; seed?: number } = {}): void {
  const eps = opts.eps ?? 1e-6;
  const tol = opts.tol ?? 1e-5;
  const rnd = prng(opts.seed ?? 1234);
  const datas = inputs.map((inp) => {
    const n = inp.shape.reduce((a, b) => a * b, 1);
    return Float64Array.from(inp.data ?? Array.from({ length: n }, () => (inp.lo ?? -1) + ((inp.hi ?? 1) - (inp.lo ?? -1)) * rnd()));
  });
  let weights: Float64Array | undefined;
  const evalLoss = (ds: Float64Array[], withGrad: boolean): { loss: number; grads?: Float64Array[] } =>
    tidy(() => {
      const xs = ds.map((d, i) => tensor(d, { shape: inputs[i].shape, dtype: 'float64' }));
      if (withGrad) for (const x of xs) x.requiresGrad_(true);
      const out = f(xs);
      if (!weights) weights = Float64Array.from({ length: out.numel }, () => 0.5 + rnd());
      const loss = out.mul(tensor(weights, { shape: out.shape, dtype: 'float64' })).sum();
      if (!withGrad) return { loss: loss.item() };
      loss.backward();
      return {
        loss: loss.item(),
        grads: xs.map((x) => {
          const g = x.grad;
          return g ? g.toFloat64Array() : new Float64Array(x.numel);
        }),
      };
    });
  const { grads } = evalLoss(datas, true);
  for (let i = 0; i < datas.length; i++) {
    const numeric = new Float64Array(datas[i].length);
    for (let j = 0; j < datas[i].length; j++) {
      const plus = datas.map((d) => d.slice());
      const minus = datas.map((d) => d.slice());
      plus[i][j] += eps;
      minus[i][j] -= eps;
      const lp = noGrad(() => evalLoss(plus, false).loss);
      const lm = noGrad(() => evalLoss(minus, false).loss);
      numeric[j] = (lp - lm) / (2 * eps);
    }
    close(grads![i], numeric, tol, `${name}: d/d input ${i}`);
  }
}
