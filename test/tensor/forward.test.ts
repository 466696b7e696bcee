import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../../src/tensor/index.js';
import { F, tensor, tidy } from '../../src/tensor/index.js';
import { close, flat } from './helpers.js';

test('creation, dtypes and data transfer', () => tidy(() => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(a.shape, [2, 3]);
  assert.equal(a.dtype, 'float32');
  assert.equal(a.numel, 6);
  assert.deepEqual(a.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.ok(a.toTypedArray() instanceof Float32Array, 'a.toTypedArray() instanceof Float32Array');
  const i = tensor(Int32Array.of(3, -1, 7));
  assert.equal(i.dtype, 'int64');
  assert.deepEqual(Array.from(i.toTypedArray() as BigInt64Array), [3n, -1n, 7n]);
  assert.deepEqual(Array.from(i.toInt32Array()), [3, -1, 7]);
  const big = tensor(BigInt64Array.of(5n, 6n), { shape: [2, 1] });
  assert.deepEqual(big.toArray(), [[5], [6]]);
  const b = tensor([true, false, true]);
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.toArray(), [true, false, true]);
  assert.deepEqual(tensor(Uint8Array.of(0, 2)).toArray(), [false, true]);
  const d = tensor(Float64Array.of(0.1, 0.2), { shape: [1, 2] });
  assert.equal(d.dtype, 'float64');
  assert.deepEqual(d.toArray(), [[0.1, 0.2]]);
  assert.equal(tensor(2.5).item(), 2.5);
  assert.deepEqual(tensor(2.5).shape, []);
  assert.deepEqual(T.zeros([2, 2], 'int64').toArray(), [[0, 0], [0, 0]]);
  assert.deepEqual(T.ones([3]).toArray(), [1, 1, 1]);
  assert.deepEqual(T.full([2], 7, 'float64').toArray(), [7, 7]);
  assert.deepEqual(T.arange(4).toArray(), [0, 1, 2, 3]);
  assert.equal(T.arange(4).dtype, 'int64');
  assert.deepEqual(T.arange(1, 7, 2, 'float32').toArray(), [1, 3, 5]);
  assert.deepEqual(T.eye(2).toArray(), [[1, 0], [0, 1]]);
  assert.deepEqual(tensor([1, 2, 3], { dtype: 'int64' }).to('float64').toArray(), [1, 2, 3]);
  assert.deepEqual(tensor([[1, 2], [3, 4]]).T.toArray(), [[1, 3], [2, 4]]);
}));

test('random: seeding, state save/restore, ranges', () => tidy(() => {
  T.manualSeed(42);
  const a = flat(T.randUniform([5], -2, 3));
  T.manualSeed(42);
  assert.deepEqual(flat(T.randUniform([5], -2, 3)), a);
  assert.ok(a.every((x) => x >= -2 && x < 3), 'a.every((x) => x >= -2 && x < 3)');
  const state = T.getRngState();
  const n1 = flat(T.randNormal([4], 1, 2));
  const d1 = flat(F.dropout(T.ones([20]), 0.5, true));
  T.setRngState(state);
  assert.deepEqual(flat(T.randNormal([4], 1, 2)), n1);
  assert.deepEqual(flat(F.dropout(T.ones([20]), 0.5, true)), d1, 'dropout draws from the same generator');
  const ri = flat(T.randint(3, 6, [50]));
  assert.ok(ri.every((x) => x >= 3 && x < 6 && Number.isInteger(x)), 'ri.every((x) => x >= 3 && x < 6 && Number.isInteger(x))');
  // dropout: training zeroes ~p and scales by 1/(1-p); eval is identity
  const x = T.ones([1000]);
  const y = flat(F.dropout(x, 0.5, true));
  assert.ok(y.every((v) => v === 0 || v === 2), 'y.every((v) => v === 0 || v === 2)');
  const zerosFrac = y.filter((v) => v === 0).length / 1000;
  assert.ok(zerosFrac > 0.4 && zerosFrac < 0.6, `dropout zero fraction ${zerosFrac}`);
  assert.deepEqual(flat(F.dropout(x, 0.5, false)), flat(x));
}));

test('element-wise with broadcasting, scalars and comparisons', () => tidy(() => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const r = tensor([10, 20, 30]);
  assert.deepEqual(a.add(r).toArray(), [[11, 22, 33], [14, 25, 36]]);
  assert.deepEqual(a.sub(1).toArray(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(a.mul(tensor([[2], [3]])).toArray(), [[2, 4, 6], [12, 15, 18]]);
  assert.deepEqual(a.div(2).toArray(), [[0.5, 1, 1.5], [2, 2.5, 3]]);
  assert.deepEqual(a.neg().toArray(), [[-1, -2, -3], [-4, -5, -6]]);
  assert.deepEqual(a.pow(2).toArray(), [[1, 4, 9], [16, 25, 36]]);
  assert.deepEqual(a.rsub(1).toArray(), [[0, -1, -2], [-3, -4, -5]]);
  close(flat(a.exp()), [1, 2, 3, 4, 5, 6].map(Math.exp));
  close(flat(a.log()), [1, 2, 3, 4, 5, 6].map(Math.log));
  close(flat(a.sqrt()), [1, 2, 3, 4, 5, 6].map(Math.sqrt));
  const m = tensor([-2, -0.5, 0, 1.5]);
  assert.deepEqual(m.abs().toArray(), [2, 0.5, 0, 1.5]);
  assert.deepEqual(m.relu().toArray(), [0, 0, 0, 1.5]);
  close(flat(m.tanh()), [-2, -0.5, 0, 1.5].map(Math.tanh));
  close(flat(m.sigmoid()), [-2, -0.5, 0, 1.5].map((v) => 1 / (1 + Math.exp(-v))));
  assert.deepEqual(m.clamp(-1, 1).toArray(), [-1, -0.5, 0, 1]);
  assert.deepEqual(m.clamp(null, 0).toArray(), [-2, -0.5, 0, 0]);
  assert.deepEqual(m.gt(0).toArray(), [false, false, false, true]);
  assert.deepEqual(m.le(tensor([-2, 0, 0, 0])).toArray(), [true, true, true, false]);
  assert.deepEqual(m.eq(0).logicalNot().toArray(), [true, true, false, true]);
  assert.deepEqual(m.ne(-2).toArray(), [false, true, true, true]);
  assert.deepEqual(m.lt(0).toArray(), [true, true, false, false]);
  assert.deepEqual(m.ge(0).toArray(), [false, false, true, true]);
  // int64 stays integral with integer scalars
  const i = tensor([1, 2, 3], { dtype: 'int64' });
  assert.equal(i.add(1).dtype, 'int64');
  assert.deepEqual(i.mul(3).toArray(), [3, 6, 9]);
  assert.equal(i.add(0.5).dtype, 'float32');
}));

test('matmul, linear, reductions', () => tidy(() => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[5, 6], [7, 8]]);
  assert.deepEqual(a.matmul(b).toArray(), [[19, 22], [43, 50]]);
  assert.deepEqual(F.linear(a, b, tensor([1, -1])).toArray(), [[1 * 5 + 2 * 6 + 1, 1 * 7 + 2 * 8 - 1], [3 * 5 + 4 * 6 + 1, 3 * 7 + 4 * 8 - 1]]);
  assert.deepEqual(F.linear(a, b).toArray(), [[17, 23], [39, 53]]);
  const x = tensor([[1, 5, 3], [4, 2, 6]]);
  assert.equal(x.sum().item(), 21);
  assert.deepEqual(x.sum(0).toArray(), [5, 7, 9]);
  assert.deepEqual(x.sum(1, true).toArray(), [[9], [12]]);
  assert.deepEqual(x.sum([0, 1]).toArray(), 21);
  assert.equal(x.mean().item(), 3.5);
  assert.deepEqual(x.mean(1).toArray(), [3, 4]);
  const { values, indices } = x.max(1);
  assert.deepEqual(values.toArray(), [5, 6]);
  assert.deepEqual(indices.toArray(), [1, 2]);
  assert.equal(indices.dtype, 'int64');
  assert.deepEqual(x.max(0, true).values.toArray(), [[4, 5, 6]]);
  assert.equal(x.amax().item(), 6);
  assert.deepEqual(x.argmax(0).toArray(), [1, 0, 1]);
  assert.equal(x.argmax().item(), 5);
  assert.deepEqual(x.amax(1).toArray(), [5, 6]);
  close(flat(tensor([3, 4]).norm()), [5]);
  close(flat(tensor([3, -4]).norm(1)), [7]);
  const lse = Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3));
  close(flat(x.logsumexp(1)), [lse, Math.log(Math.exp(4) + Math.exp(2) + Math.exp(6))]);
  const sm = flat(x.softmax(1));
  close(sm.slice(0, 3), [1, 5, 3].map((v) => Math.exp(v - lse)));
  close(flat(x.logSoftmax(1)).slice(0, 3), [1 - lse, 5 - lse, 3 - lse]);
}));

test('shape ops and indexing', () => tidy(() => {
  const x = T.arange(0, 6, 'float32').reshape([2, 3]);
  assert.deepEqual(x.toArray(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(x.view([3, 2]).toArray(), [[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(x.reshape([-1]).shape, [6]);
  assert.deepEqual(x.permute([1, 0]).toArray(), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(x.transpose(0, 1).contiguous().view([6]).toArray(), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(x.narrow(1, 1, 2).toArray(), [[1, 2], [4, 5]]);
  assert.deepEqual(x.slice(1, 0, 3, 2).toArray(), [[0, 2], [3, 5]]);
  assert.deepEqual(x.slice(1, -1).toArray(), [[2], [5]]);
  assert.deepEqual(x.indexSelect(1, tensor([2, 0], { dtype: 'int64' })).toArray(), [[2, 0], [5, 3]]);
  assert.deepEqual(x.gather(1, tensor([[1], [0]], { dtype: 'int64' })).toArray(), [[1], [3]]);
  assert.deepEqual(x.unsqueeze(0).shape, [1, 2, 3]);
  assert.deepEqual(x.unsqueeze(0).unsqueeze(3).squeeze().shape, [2, 3]);
  assert.deepEqual(x.unsqueeze(0).squeeze(0).shape, [2, 3]);
  assert.deepEqual(tensor([[1], [2]]).expand([2, 3]).toArray(), [[1, 1, 1], [2, 2, 2]]);
  const mask = tensor([[true, false, false], [false, false, true]]);
  assert.deepEqual(x.maskedFill(mask, -1).toArray(), [[-1, 1, 2], [3, 4, -1]]);
  assert.deepEqual(F.where(mask, x, T.zeros([1])).toArray(), [[0, 0, 0], [0, 0, 5]]);
  assert.deepEqual(F.cat([x, x.add(10)], 0).shape, [4, 3]);
  assert.deepEqual(F.cat([x, tensor([[9], [9]])], 1).toArray(), [[0, 1, 2, 9], [3, 4, 5, 9]]);
  assert.deepEqual(F.oneHot(tensor([2, 0], { dtype: 'int64' }), 3).toArray(), [[0, 0, 1], [1, 0, 0]]);
  const w = tensor([[0, 0], [1, 1], [2, 2]]);
  assert.deepEqual(F.embedding(w, tensor([[2, 1]], { dtype: 'int64' })).toArray(), [[[2, 2], [1, 1]]]);
  assert.equal(x.size(-1), 3);
  assert.equal(x.ndim, 2);
}));

test('conv1d with padding, losses', () => tidy(() => {
  // x: [1, 1, 4], w: [1, 1, 2] = [1, -1], padding 1 → [0-1, 1-2, 2-3, 3-4, 4-0] with x = [1,2,3,4]
  const x = tensor([1, 2, 3, 4], { shape: [1, 1, 4] });
  const w = tensor([1, -1], { shape: [1, 1, 2] });
  assert.deepEqual(F.conv1d(x, w, tensor([0.5]), { padding: 1 }).toArray(), [[[-0.5, -0.5, -0.5, -0.5, 4.5]]]);
  assert.deepEqual(F.conv1d(x, w).shape, [1, 1, 3]);
  const logits = tensor([[1, 2, 3], [1, 1, 1]]);
  const tgt = tensor([2, 0], { dtype: 'int64' });
  const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  const l0 = lse0 - 3;
  const l1 = Math.log(3);
  close(flat(F.crossEntropy(logits, tgt, { reduction: 'none' })), [l0, l1]);
  close(flat(F.crossEntropy(logits, tgt)), [(l0 + l1) / 2]);
  close(flat(F.crossEntropy(logits, tgt, { reduction: 'sum' })), [l0 + l1]);
  close(flat(F.crossEntropy(logits, tensor([2, -100], { dtype: 'int64' }))), [l0]);
}));

test('in-place ops return this and modify storage', () => tidy(() => {
  const p = tensor([1, 2, 3]);
  assert.equal(p.add_(tensor([1, 1, 1]), 2), p);
  assert.deepEqual(p.toArray(), [3, 4, 5]);
  p.sub_(1).mul_(2).div_(tensor([2, 2, 2]));
  assert.deepEqual(p.toArray(), [2, 3, 4]);
  p.sub_(tensor([1, 1, 1]), 0.5);
  assert.deepEqual(p.toArray(), [1.5, 2.5, 3.5]);
  p.addcmul_(tensor([1, 2, 3]), tensor([2, 2, 2]), 0.5);
  assert.deepEqual(p.toArray(), [2.5, 4.5, 6.5]);
  p.addcdiv_(tensor([1, 1, 1]), tensor([2, 4, 8]), -2);
  assert.deepEqual(p.toArray(), [1.5, 4, 6.25]);
  p.copy_(tensor([4, 9, 16], { dtype: 'float64' }));
  assert.deepEqual(p.toArray(), [4, 9, 16]);
  p.sqrt_();
  assert.deepEqual(p.toArray(), [2, 3, 4]);
  p.fill_(7);
  assert.deepEqual(p.toArray(), [7, 7, 7]);
  p.zero_();
  assert.deepEqual(p.toArray(), [0, 0, 0]);
  const v = p.view([3, 1]);
  p.add_(1);
  assert.deepEqual(v.toArray(), [[1], [1], [1]], 'views share storage');
}));

test('inferenceMode: no autograd inside, the previous mode after (also when fn throws)', () => tidy(() => {
  const w = tensor([1, 2, 3]).requiresGrad_();
  const y = T.inferenceMode(() => w.mul(2).add(1));
  assert.equal(y.requiresGrad, false);
  assert.deepEqual(y.toArray(), [3, 5, 7]);
  // Inference mode, not only no grad: its tensors cannot be saved for a backward pass later.
  assert.throws(() => w.mul(y), /[Ii]nference tensor/);
  // Inference mode turns recording off; after it (also after a throw), recording is on again.
  assert.equal(w.mul(2).requiresGrad, true);
  assert.throws(() => T.inferenceMode(() => w.matmul(tensor([[1, 2]]))), /matmul/);
  assert.equal(w.mul(2).requiresGrad, true);
  w.mul(w).sum().backward(); // parameters made outside still train
  assert.deepEqual(w.grad!.toArray(), [2, 4, 6]);
}));

test('autograd basics: requiresGrad, grad, zeroGrad, detach, noGrad', () => tidy(() => {
  const w = tensor([1, 2, 3]).requiresGrad_();
  assert.equal(w.requiresGrad, true);
  assert.equal(w.grad, null);
  w.mul(w).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [2, 4, 6]);
  w.mul(w).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [4, 8, 12], 'gradients accumulate');
  w.zeroGrad();
  assert.equal(w.grad, null);
  const d = w.mul(2).detach();
  assert.equal(d.requiresGrad, false);
  const y = T.noGrad(() => w.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(w.mul(2).requiresGrad, true, 'recording is on again after noGrad');
  const z = w.mul(tensor([1, 1, 1]));
  z.backward(tensor([1, 0, 2]));
  assert.deepEqual(w.grad!.toArray(), [1, 0, 2]);
  // clipGradNorm: grads [3, 4] norm 5 → clipped to norm 1
  const a = tensor([0, 0]).requiresGrad_();
  a.mul(tensor([3, 4])).sum().backward();
  const total = F.clipGradNorm([a], 1);
  close([total], [5]);
  close(flat(a.grad!), [0.6, 0.8], 1e-5);
  assert.equal(F.clipGradNorm([tensor([1]).requiresGrad_()], 1), 0, 'no grads → 0');
}));

test('lstm: output shape, padding zeros, packed = per-sequence runs', () => tidy(() => {
  T.manualSeed(3);
  const I = 4, H = 3;
  const weights = [
    T.randUniform([4 * H, I], -0.5, 0.5), T.randUniform([4 * H, H], -0.5, 0.5), T.randUniform([4 * H], -0.5, 0.5), T.randUniform([4 * H], -0.5, 0.5),
    T.randUniform([4 * H, I], -0.5, 0.5), T.randUniform([4 * H, H], -0.5, 0.5), T.randUniform([4 * H], -0.5, 0.5), T.randUniform([4 * H], -0.5, 0.5),
  ];
  const x = T.randNormal([3, 5, I]);
  const out = F.lstm(x, { weights, bidirectional: true, lengths: [2, 5, 3] });
  assert.deepEqual(out.shape, [3, 5, 2 * H]);
  const o = out.toArray() as number[][][];
  for (const t of [2, 3, 4]) assert.ok(o[0][t].every((v) => v === 0), 'padding is zero');
  for (const [b, len] of [[0, 2], [1, 5], [2, 3]] as const) {
    const alone = F.lstm(x.narrow(0, b, 1).narrow(1, 0, len), { weights, bidirectional: true });
    close(flat(alone), flat(out.narrow(0, b, 1).narrow(1, 0, len)), 1e-5, `sequence ${b}`);
  }
  // unpacked batch-first vs time-first agree
  const tf = F.lstm(x.transpose(0, 1), { weights, bidirectional: true, batchFirst: false });
  const bf = F.lstm(x, { weights, bidirectional: true });
  close(flat(tf.transpose(0, 1)), flat(bf), 1e-6);
  // a single-direction step by hand: h1 = o * tanh(c1), c1 = i * g (zero initial state)
  const one = F.lstm(x.narrow(0, 0, 1).narrow(1, 0, 1), { weights: weights.slice(0, 4) });
  const gates = F.linear(x.narrow(0, 0, 1).narrow(1, 0, 1).reshape([1, I]), weights[0], weights[2].add(weights[3]));
  const [gi, , gg, go] = [0, 1, 2, 3].map((k) => gates.narrow(1, k * H, H));
  const c1 = gi.sigmoid().mul(gg.tanh());
  const h1 = go.sigmoid().mul(c1.tanh());
  close(flat(one), flat(h1), 1e-6);
}));
