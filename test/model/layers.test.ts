/** Shapes and padding behaviour of each layer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BiLstm } from '../../src/model/layers/bilstm.js';
import { CharCnn } from '../../src/model/layers/charcnn.js';
import { Conv1d, MultiWidthCnn } from '../../src/model/layers/conv.js';
import { Dropout } from '../../src/model/layers/dropout.js';
import { Embedding } from '../../src/model/layers/embedding.js';
import { Linear } from '../../src/model/layers/linear.js';
import { cat, manualSeed, ones, randNormal, tensor, zeros, type Tensor } from '../../src/tensor/index.js';

const close = (a: Tensor, b: Tensor, tol = 1e-5) => {
  const x = a.toFloat64Array();
  const y = b.toFloat64Array();
  assert.equal(x.length, y.length);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= tol, `index ${i}: ${x[i]} vs ${y[i]}`);
};

test('Linear: [N, in] → [N, out], init bounds U(±1/√in)', () => {
  manualSeed(1);
  const l = new Linear(16, 5);
  assert.deepEqual(l.forward(randNormal([3, 16])).shape, [3, 5]);
  assert.deepEqual(l.forward(randNormal([2, 4, 16])).shape, [2, 4, 5]);
  const w = l.weight.toFloat64Array();
  assert.ok(w.every((v) => Math.abs(v) <= 0.25), 'w.every((v) => Math.abs(v) <= 0.25)');
  assert.deepEqual([...l.namedParameters().keys()], ['weight', 'bias']);
});

test('Embedding: ids → vectors, PAD row zero, extra rows extend the table', () => {
  manualSeed(1);
  const e = new Embedding(10, 4);
  const ids = tensor(Int32Array.of(0, 3, 10), { dtype: 'int64' });
  const extra = tensor(Float32Array.of(1, 2, 3, 4), { shape: [1, 4] });
  const y = e.forward(ids, extra);
  assert.deepEqual(y.shape, [3, 4]);
  const v = y.toFloat64Array();
  assert.deepEqual([...v.slice(0, 4)], [0, 0, 0, 0]);
  assert.deepEqual([...v.slice(8)], [1, 2, 3, 4]);
});

test('Conv1d is wide: L → L + K − 1', () => {
  const c = new Conv1d(6, 3, 3);
  assert.deepEqual(c.forward(randNormal([2, 6, 5])).shape, [2, 3, 7]);
});

test('MultiWidthCnn: pooling ignores padding (batched = one sequence alone), empty = ReLU(bias)', () => {
  manualSeed(2);
  const cnn = new MultiWidthCnn(4, [2, 3], 5);
  const a = randNormal([1, 2, 4]); // 2 real rows
  const b = randNormal([1, 5, 4]); // 5 real rows
  const padded = cat([cat([a, zeros([1, 3, 4])], 1), b, zeros([1, 5, 4])], 0); // [3, 5, 4], third empty
  const y = cnn.forward(padded, Int32Array.of(2, 5, 0));
  assert.deepEqual(y.shape, [3, 10]);
  close(y.narrow(0, 0, 1), cnn.forward(a, Int32Array.of(2)));
  close(y.narrow(0, 1, 1), cnn.forward(b, Int32Array.of(5)));
  const bias = cat(cnn.convs.map((c) => c.bias.relu()), 0).unsqueeze(0);
  close(y.narrow(0, 2, 1), bias);
});

test('MultiWidthCnn.forwardSpans = forward on each segment cut out of the table (every length, widths 1–4)', () => {
  manualSeed(4);
  const cnn = new MultiWidthCnn(3, [1, 2, 3, 4], 2);
  const R = 40;
  const table = cat([randNormal([R - 1, 3]), zeros([1, 3])], 0); // last row zero
  const rows = table.toFloat64Array();
  const identity = Int32Array.from({ length: R - 1 }, (_, i) => i);
  const spans: [number, number][] = [[0, 0], [5, 0], [0, 1], [3, 2], [7, 3], [10, 4], [2, 9], [0, 39], [20, 17], [38, 1], [12, 5], [12, 5]];
  const y = cnn.forwardSpans(table, identity, Int32Array.from(spans, (s) => s[0]), Int32Array.from(spans, (s) => s[1]));
  assert.deepEqual(y.shape, [spans.length, 8]);
  spans.forEach(([start, n], p) => {
    const seg = tensor(Float32Array.from(n ? rows.slice(start * 3, (start + n) * 3) : [0, 0, 0]), { shape: [1, Math.max(1, n), 3] });
    close(y.narrow(0, p, 1), cnn.forward(seg, Int32Array.of(n)), 1e-5);
  });
  assert.deepEqual(cnn.forwardSpans(table, identity, new Int32Array(0), new Int32Array(0)).shape, [0, 8]);
});

test('MultiWidthCnn.forwardSpans of a few short segments in a long table (each window summed) = forward', () => {
  manualSeed(6);
  const cnn = new MultiWidthCnn(3, [1, 2, 3, 4], 2);
  const R = 61;
  const table = cat([randNormal([R - 1, 3]), zeros([1, 3])], 0);
  const rows = table.toFloat64Array();
  // Few rows per segment against a 60-row table: summing every window gathers fewer rows than the
  // window sums of the whole table would, at every width.
  const spans: [number, number][] = [[0, 1], [5, 2], [10, 0], [20, 3], [59, 1]];
  const y = cnn.forwardSpans(table, Int32Array.from({ length: R - 1 }, (_, i) => i), Int32Array.from(spans, (s) => s[0]), Int32Array.from(spans, (s) => s[1]));
  spans.forEach(([start, n], p) => {
    const seg = tensor(Float32Array.from(n ? rows.slice(start * 3, (start + n) * 3) : [0, 0, 0]), { shape: [1, Math.max(1, n), 3] });
    close(y.narrow(0, p, 1), cnn.forward(seg, Int32Array.of(n)), 1e-5);
  });
});

test('MultiWidthCnn.forwardSpans through a layout that reads table rows several times = forward on the rows read', () => {
  manualSeed(5);
  const cnn = new MultiWidthCnn(3, [2, 3], 2);
  const table = cat([randNormal([6, 3]), zeros([1, 3])], 0);
  const rows = table.toFloat64Array();
  // Two "tag sequences" of one 8-token sentence that share most rows (as MRT's samples do).
  const layout = Int32Array.of(0, 1, 2, 3, 4, 2, 5, 1, 0, 1, 5, 3, 4, 2, 5, 1);
  const spans: [number, number][] = [[0, 8], [8, 8], [2, 5], [10, 3], [7, 2], [15, 1], [9, 0], [3, 4]];
  const y = cnn.forwardSpans(table, layout, Int32Array.from(spans, (s) => s[0]), Int32Array.from(spans, (s) => s[1]));
  spans.forEach(([start, n], p) => {
    const read = Array.from(layout.subarray(start, start + n), (r) => [...rows.slice(r * 3, r * 3 + 3)]).flat();
    const seg = tensor(Float32Array.from(n ? read : [0, 0, 0]), { shape: [1, Math.max(1, n), 3] });
    close(y.narrow(0, p, 1), cnn.forward(seg, Int32Array.of(n)), 1e-5);
  });
});

test('CharCnn: [N·W] chars → [N, widths × filters]', () => {
  manualSeed(3);
  const c = new CharCnn(20, 8, [2, 3], 25, 0.5);
  c.eval();
  const chars = Int32Array.of(2, 3, 4, 0, 5, 0, 0, 0);
  const y = c.forward(chars, Int32Array.of(3, 1), 4);
  assert.deepEqual(y.shape, [2, 50]);
  close(y.narrow(0, 1, 1), c.forward(Int32Array.of(5), Int32Array.of(1), 1));
});

test('CharCnn in eval mode (each distinct token once, tap products per character) = the padded convolution', () => {
  manualSeed(7);
  const c = new CharCnn(30, 8, [2, 3], 5, 0.5);
  c.eval();
  // Repeated tokens, one char, and lengths far apart (several length groups), in no particular order.
  const words = [[2, 3, 4], [5], [2, 3, 4], [6, 7, 8, 9, 10, 11, 12, 13, 14], [9, 9], [1, 29, 3, 4, 5, 6, 7], [5]];
  const W = 9;
  const chars = new Int32Array(words.length * W);
  words.forEach((w, i) => chars.set(w, i * W));
  const lens = Int32Array.from(words, (w) => w.length);
  const padded = c.cnn.forward(c.emb.forward(tensor(chars, { dtype: 'int64', shape: [words.length, W] })), lens);
  close(c.forward(chars, lens, W), padded);
});

test('MultiWidthCnn.forwardSpans: segments of many lengths in any order, over a few rows of a large table = forward', () => {
  manualSeed(8);
  const cnn = new MultiWidthCnn(4, [2, 3], 3);
  const R = 200;
  const table = cat([randNormal([R - 1, 4]), zeros([1, 4])], 0);
  const rows = table.toFloat64Array();
  // Reads 40 of the 199 rows; lengths 0 to 30 (several length groups), unsorted, one segment twice.
  const layout = Int32Array.from({ length: 40 }, (_, i) => (i * 37) % (R - 1));
  const spans: [number, number][] = [[3, 30], [0, 1], [10, 0], [5, 7], [0, 2], [20, 12], [39, 1], [8, 4], [5, 7], [1, 16]];
  const y = cnn.forwardSpans(table, layout, Int32Array.from(spans, (s) => s[0]), Int32Array.from(spans, (s) => s[1]));
  spans.forEach(([start, n], p) => {
    const read = Array.from(layout.subarray(start, start + n), (r) => [...rows.slice(r * 4, r * 4 + 4)]).flat();
    const seg = tensor(Float32Array.from(n ? read : [0, 0, 0, 0]), { shape: [1, Math.max(1, n), 4] });
    close(y.narrow(0, p, 1), cnn.forward(seg, Int32Array.of(n)), 1e-5);
  });
});

test('BiLstm: [B, T, in] → [B, T, 2H]; padding is zero and does not change the real outputs', () => {
  manualSeed(4);
  const l = new BiLstm(6, 5);
  const x = randNormal([2, 4, 6]);
  const y = l.forward(x, Int32Array.of(4, 2));
  assert.deepEqual(y.shape, [2, 4, 10]);
  close(y.narrow(0, 1, 1).narrow(1, 2, 2), zeros([1, 2, 10]));
  const alone = l.forward(x.narrow(0, 1, 1).narrow(1, 0, 2), Int32Array.of(2));
  close(y.narrow(0, 1, 1).narrow(1, 0, 2), alone);
  assert.equal(l.namedParameters().size, 8);
});

test('BiLstm with 2 layers: 16 weights, [B, T, 2H]; dropout between the layers in train mode only', () => {
  manualSeed(4);
  const x = randNormal([2, 4, 6]);
  const same = (a: Tensor, b: Tensor) => a.toFloat64Array().every((v, i) => v === b.toFloat64Array()[i]);
  const deep = new BiLstm(6, 5, 2, 0.5);
  assert.equal(deep.namedParameters().size, 16);
  deep.train();
  const a = deep.forward(x, Int32Array.of(4, 2));
  assert.deepEqual(a.shape, [2, 4, 10]);
  assert.ok(!same(a, deep.forward(x, Int32Array.of(4, 2))), 'train mode drops between the layers');
  deep.eval();
  assert.ok(same(deep.forward(x, Int32Array.of(4, 2)), deep.forward(x, Int32Array.of(4, 2))), 'same(deep.forward(x, Int32Array.of(4, 2)), deep.forward(x, Int32Array.of(4, 2)))');
  const shallow = new BiLstm(6, 5, 1, 0.5); // one layer: nothing between layers to drop
  shallow.train();
  assert.ok(same(shallow.forward(x, Int32Array.of(4, 2)), shallow.forward(x, Int32Array.of(4, 2))), 'same(shallow.forward(x, Int32Array.of(4, 2)), shallow.forward(x, Int32Array.of(4, 2)))');
});

test('Dropout: identity in eval mode, zeroes in train mode', () => {
  const d = new Dropout(0.5);
  const x = randNormal([1000]);
  d.eval();
  close(d.forward(x), x, 0);
  d.train();
  const z = d.forward(x).toFloat64Array().filter((v) => v === 0).length;
  assert.ok(z > 350 && z < 650, `${z} zeros`);
});

test('Dropout locked: one mask per sentence and feature, the same at every token', () => {
  const x = ones([4, 30, 50]);
  const masks = (locked: boolean) => {
    const d = new Dropout(0.5, locked);
    d.train();
    const v = d.forward(x).toFloat64Array();
    let varyAlongTime = 0;
    let zeros = 0;
    for (let b = 0; b < 4; b++)
      for (let f = 0; f < 50; f++)
        for (let t = 0; t < 30; t++) {
          const y = v[(b * 30 + t) * 50 + f];
          assert.ok(y === 0 || Math.abs(y - 2) < 1e-6, `kept values are scaled by 1/(1 − p): ${y}`);
          if (y === 0) zeros++;
          if (t > 0 && y !== v[(b * 30 + t - 1) * 50 + f]) varyAlongTime++;
        }
    return { varyAlongTime, zeros };
  };
  const locked = masks(true);
  assert.equal(locked.varyAlongTime, 0);
  assert.ok(locked.zeros > 0.35 * 6000 && locked.zeros < 0.65 * 6000, `${locked.zeros} zeros`);
  assert.ok(masks(false).varyAlongTime > 1000, 'per-token masks differ between tokens');
});
