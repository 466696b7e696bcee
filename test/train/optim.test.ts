/**
 * Adadelta and Adam against PyTorch 1.13 (torch.optim, float32) on a 2-element parameter over 3 steps
 * with fixed gradients. Step 1 of Adadelta by hand: E[g²] = 0.1·0.25 = 0.025,
 * Δ = √(0 + 1e-6) / √(0.025 + 1e-6) · 0.5 = 0.0031622, p = 1 − 0.0031622 = 0.9968378.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { Adadelta, Adam, type Optimizer } from '../../src/train/optim.js';

const GRADS = [[0.5, -1.0], [0.25, 2.0], [-0.75, 0.1]];
const EXPECTED = {
  adadelta: [[0.996837795, -1.99683774], [0.994752705, -2.00087833], [0.998751581, -2.0011611]],
  adam: [[0.900000036, -1.89999998], [0.806782067, -1.93661034], [0.814979732, -1.96773767]],
};

function setup(kind: 'adadelta' | 'adam'): { p: Tensor; opt: Optimizer } {
  const p = tensor([1.0, -2.0], { requiresGrad: true });
  const params = new Map([['w', p]]);
  const opt = kind === 'adadelta'
    ? new Adadelta(params, { lr: 1, rho: 0.9, eps: 1e-6 })
    : new Adam(params, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  return { p, opt };
}

function step(p: Tensor, opt: Optimizer, g: number[]): number[] {
  p.grad = tensor(g);
  opt.step();
  opt.zeroGrad();
  return [...(p.toTypedArray() as Float32Array)];
}

for (const kind of ['adadelta', 'adam'] as const) {
  test(`${kind} matches torch.optim over 3 steps`, () => {
    const { p, opt } = setup(kind);
    GRADS.forEach((g, i) => {
      const got = step(p, opt, g);
      got.forEach((v, j) => assert.ok(Math.abs(v - EXPECTED[kind][i][j]) < 1e-6, `step ${i + 1}[${j}]: ${v} vs ${EXPECTED[kind][i][j]}`));
    });
  });

  test(`${kind} state survives export/import`, () => {
    const a = setup(kind);
    step(a.p, a.opt, GRADS[0]);
    step(a.p, a.opt, GRADS[1]);
    const saved = a.opt.state();
    const b = setup(kind);
    b.p.requiresGrad_(false).copy_(a.p).requiresGrad_(true);
    b.opt.load({ tensors: Object.fromEntries(Object.entries(saved.tensors).map(([k, t]) => [k, t.clone()])), meta: saved.meta });
    assert.deepEqual(step(b.p, b.opt, GRADS[2]), step(a.p, a.opt, GRADS[2]));
  });
}

test('a parameter without a gradient is left alone', () => {
  const { p, opt } = setup('adam');
  opt.step();
  assert.deepEqual([...(p.toTypedArray() as Float32Array)], [1, -2]);
  assert.deepEqual(opt.state().tensors, {});
});
