/** Central finite differences against autograd, for a few random entries of every parameter (float64). */
import assert from 'node:assert/strict';
import type { NamedParameters, Rng } from '../../src/model/types.js';
import { noGrad, tensor } from '../../src/tensor/index.js';

export interface GradCheckOptions {
  /** Entries checked per parameter. */
  perParam: number;
  eps: number;
  /** Largest relative error |num − grad| / max(floor, |num| + |grad|) allowed. */
  tol: number;
  floor: number;
  pick: Rng;
}

/**
 * `params` must already hold the analytic gradients of the loss that `lossAt` recomputes (without
 * autograd). Returns the entries checked and the worst relative error; asserts each entry.
 */
export function assertGradientsMatch(params: NamedParameters, lossAt: () => number, o: GradCheckOptions): { checked: number; worst: number } {
  let checked = 0;
  let worst = 0;
  for (const [name, p] of params) {
    const grad = p.grad?.toFloat64Array() ?? new Float64Array(p.numel);
    const data = p.toFloat64Array();
    const set = (arr: Float64Array) => noGrad(() => p.copy_(tensor(arr, { shape: p.shape, dtype: 'float64' })));
    for (let k = 0; k < o.perParam; k++) {
      const i = Math.floor(o.pick.random() * data.length);
      const orig = data[i];
      data[i] = orig + o.eps;
      set(data);
      const up = lossAt();
      data[i] = orig - o.eps;
      set(data);
      const down = lossAt();
      data[i] = orig;
      set(data);
      const num = (up - down) / (2 * o.eps);
      const err = Math.abs(num - grad[i]) / Math.max(o.floor, Math.abs(num) + Math.abs(grad[i]));
      worst = Math.max(worst, err);
      assert.ok(err < o.tol, `${name}[${i}]: analytic ${grad[i]} vs numeric ${num}`);
      checked++;
    }
  }
  return { checked, worst };
}
