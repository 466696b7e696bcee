// Gradient of every differentiable op vs central finite differences in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../../src/tensor/index.js';
import { F, tensor, tidy, type Tensor } from '../../src/tensor/index.js';
import { gradcheck } from './helpers.js';

const i64 = (v: number[] | number[][], shape?: number[]): Tensor => tensor(v as number[], { dtype: 'int64', shape });
const pos = { lo: 0.5, hi: 2 };

test('grad: element-wise arithmetic with broadcasting', () => {
  gradcheck('add', ([a, b]) => a.add(b), [{ shape: [2, 3] }, { shape: [3] }]);
  gradcheck('sub', ([a, b]) => a.sub(b), [{ shape: [2, 1] }, { shape: [2, 3] }]);
  gradcheck('mul', ([a, b]) => a.mul(b), [{ shape: [2, 3] }, { shape: [1, 3] }]);
  gradcheck('div', ([a, b]) => a.div(b), [{ shape: [2, 3] }, { shape: [3], ...pos }]);
  gradcheck('scalar ops', ([a]) => a.add(2).sub(0.5).mul(3).div(4).rsub(1), [{ shape: [4] }]);
  gradcheck('neg', ([a]) => a.neg(), [{ shape: [3] }]);
  gradcheck('pow scalar', ([a]) => a.pow(3), [{ shape: [4] }]);
  gradcheck('pow tensor', ([a, b]) => a.pow(b), [{ shape: [3], ...pos }, { shape: [3] }]);
  gradcheck('maximum/minimum', ([a, b]) => a.maximum(b).add(a.minimum(b).mul(2)), [{ shape: [5] }, { shape: [5] }]);
});

test('grad: unary functions', () => {
  gradcheck('exp', ([a]) => a.exp(), [{ shape: [4] }]);
  gradcheck('log', ([a]) => a.log(), [{ shape: [4], ...pos }]);
  gradcheck('sqrt', ([a]) => a.sqrt(), [{ shape: [4], ...pos }]);
  gradcheck('abs', ([a]) => a.abs(), [{ shape: [4], data: [-1.5, -0.3, 0.2, 2] }]);
  gradcheck('relu', ([a]) => a.relu(), [{ shape: [4], data: [-1.5, -0.3, 0.2, 2] }]);
  gradcheck('tanh', ([a]) => a.tanh(), [{ shape: [4] }]);
  gradcheck('sigmoid', ([a]) => a.sigmoid(), [{ shape: [4] }]);
  gradcheck('square/reciprocal/log1p', ([a]) => a.square().add(a.reciprocal()).add(a.log1p()), [{ shape: [3], ...pos }]);
  gradcheck('clamp', ([a]) => a.clamp(-0.5, 0.5), [{ shape: [4], data: [-1, -0.2, 0.3, 0.9] }]);
  gradcheck('clone/contiguous', ([a]) => a.clone().transpose(0, 1).contiguous(), [{ shape: [2, 3] }]);
});

test('grad: matmul, linear, conv1d', () => {
  gradcheck('matmul 2d', ([a, b]) => a.matmul(b), [{ shape: [2, 3] }, { shape: [3, 4] }]);
  gradcheck('matmul batched', ([a, b]) => a.matmul(b), [{ shape: [2, 2, 3] }, { shape: [3, 2] }]);
  gradcheck('bmm', ([a, b]) => a.bmm(b), [{ shape: [2, 2, 3] }, { shape: [2, 3, 2] }]);
  gradcheck('linear', ([x, w, b]) => F.linear(x, w, b), [{ shape: [2, 3] }, { shape: [4, 3] }, { shape: [4] }]);
  gradcheck('linear 3d no bias', ([x, w]) => F.linear(x, w), [{ shape: [2, 2, 3] }, { shape: [2, 3] }]);
  gradcheck('conv1d padding', ([x, w, b]) => F.conv1d(x, w, b, { padding: 1 }), [{ shape: [2, 2, 4] }, { shape: [3, 2, 2] }, { shape: [3] }]);
  gradcheck('conv1d k3', ([x, w]) => F.conv1d(x, w, null, { padding: 2 }), [{ shape: [1, 2, 3] }, { shape: [2, 2, 3] }]);
});

test('grad: reductions and softmax family', () => {
  gradcheck('sum all', ([a]) => a.sum(), [{ shape: [2, 3] }]);
  gradcheck('sum dim keepdim', ([a]) => a.sum(1, true), [{ shape: [2, 3] }]);
  gradcheck('mean', ([a]) => a.mean(0).add(a.mean()), [{ shape: [2, 3] }]);
  gradcheck('max dim', ([a]) => a.max(1).values, [{ shape: [2, 3], data: [0.1, 0.9, -0.4, 0.7, -0.2, 0.3] }]);
  gradcheck('amax all', ([a]) => a.amax(), [{ shape: [2, 3], data: [0.1, 0.9, -0.4, 0.7, -0.2, 0.3] }]);
  gradcheck('amax', ([a]) => a.amax(0), [{ shape: [2, 3], data: [0.1, 0.9, -0.4, 0.7, -0.2, 0.3] }]);
  gradcheck('logSoftmax', ([a]) => a.logSoftmax(1), [{ shape: [2, 4] }]);
  gradcheck('softmax', ([a]) => a.softmax(0), [{ shape: [3, 2] }]);
  gradcheck('logsumexp', ([a]) => a.logsumexp(1, true), [{ shape: [2, 4] }]);
  gradcheck('norm 2', ([a]) => a.norm(), [{ shape: [5] }]);
  gradcheck('norm 1', ([a]) => a.norm(1), [{ shape: [4], data: [-1, 0.5, 2, -0.3] }]);
});

test('grad: shape ops and indexing', () => {
  gradcheck('reshape/view', ([a]) => a.reshape([3, 2]).view([6]), [{ shape: [2, 3] }]);
  gradcheck('permute', ([a]) => a.permute([2, 0, 1]), [{ shape: [2, 3, 2] }]);
  gradcheck('transpose', ([a]) => a.transpose(0, 1), [{ shape: [2, 3] }]);
  gradcheck('narrow', ([a]) => a.narrow(1, 1, 2), [{ shape: [2, 4] }]);
  gradcheck('slice step', ([a]) => a.slice(1, 0, 4, 2), [{ shape: [2, 4] }]);
  gradcheck('indexSelect', ([a]) => a.indexSelect(0, i64([2, 0, 2])), [{ shape: [3, 2] }]);
  gradcheck('gather', ([a]) => a.gather(1, i64([[0, 2], [1, 1]])), [{ shape: [2, 3] }]);
  gradcheck('unsqueeze/squeeze', ([a]) => a.unsqueeze(1).mul(2).squeeze(1), [{ shape: [2, 3] }]);
  gradcheck('expand', ([a]) => a.expand([3, 2]), [{ shape: [1, 2] }]);
  gradcheck('maskedFill', ([a]) => a.maskedFill(tensor([[true, false, false], [false, true, false]]), 0), [{ shape: [2, 3] }]);
  gradcheck('where', ([a, b]) => F.where(tensor([true, false, true]), a, b), [{ shape: [3] }, { shape: [2, 3] }]);
  gradcheck('cat', ([a, b]) => F.cat([a, b], 1), [{ shape: [2, 2] }, { shape: [2, 3] }]);
  tidy(() => {
    const a = tensor([1, -2, 3], { dtype: 'float64' }).requiresGrad_();
    a.mul(a.detach()).sum().backward();
    assert.deepEqual(a.grad!.toArray(), [1, -2, 3], 'detach blocks the gradient through its branch');
  });
  gradcheck('to float64→float32→float64', ([a]) => a.to('float32').to('float64'), [{ shape: [3] }], { tol: 1e-3, eps: 1e-3 });
});

test('grad: embedding (with padding row), dropout, losses', () => {
  gradcheck('embedding', ([w]) => F.embedding(w, i64([[1, 3], [3, 0]])), [{ shape: [4, 2] }]);
  gradcheck('embedding paddingIdx', ([w]) => F.embedding(w, i64([1, 2, 1]), 0), [{ shape: [3, 2] }]);
  tidy(() => {
    const w = T.ones([3, 2]).requiresGrad_();
    F.embedding(w, i64([1, 0, 0]), 0).sum().backward();
    assert.deepEqual(w.grad!.toArray(), [[0, 0], [1, 1], [0, 0]], 'padding row gets no gradient');
  });
  gradcheck('dropout (fixed seed)', ([a]) => {
    T.manualSeed(7);
    return F.dropout(a, 0.4, true);
  }, [{ shape: [10] }]);
  const tgt = i64([2, 0, 1]);
  gradcheck('crossEntropy mean', ([a]) => F.crossEntropy(a, tgt), [{ shape: [3, 4] }]);
  gradcheck('crossEntropy sum', ([a]) => F.crossEntropy(a, tgt, { reduction: 'sum' }), [{ shape: [3, 4] }]);
  gradcheck('crossEntropy none', ([a]) => F.crossEntropy(a, tgt, { reduction: 'none' }), [{ shape: [3, 4] }]);
  gradcheck('crossEntropy ignoreIndex', ([a]) => F.crossEntropy(a, i64([2, -100, 1])), [{ shape: [3, 4] }]);
});

test('grad: fused LSTM (padded and packed, bidirectional)', () => {
  const I = 2, H = 2;
  const shapes = [{ shape: [4 * H, I] }, { shape: [4 * H, H] }, { shape: [4 * H] }, { shape: [4 * H] }];
  gradcheck('lstm unidirectional', ([x, ...w]) => F.lstm(x, { weights: w }), [{ shape: [2, 3, I] }, ...shapes]);
  gradcheck('bilstm packed', ([x, ...w]) => F.lstm(x, { weights: w, bidirectional: true, lengths: [2, 3] }),
    [{ shape: [2, 3, I] }, ...shapes, ...shapes]);
  gradcheck('bilstm time-first from given states', ([x, h0, c0, ...w]) => F.lstm(x, { weights: w, bidirectional: true, batchFirst: false, h0, c0 }),
    [{ shape: [2, 1, I] }, { shape: [2, 1, H] }, { shape: [2, 1, H] }, ...shapes, ...shapes]);
});
