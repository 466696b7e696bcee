/** Relation feature extraction against hand-computed cases (spec §2.6, paper §3.2). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultModelConfig } from './model-config.js';
import { JointModel } from '../../src/model/joint.js';
import { candidatePairs, relationIndex, type PairSet, type SegmentIndex } from '../../src/model/pairs.js';
import { Vocabulary } from '../../src/model/vocab.js';
import { cat, manualSeed, randNormal, tensor, zeros, type Tensor } from '../../src/tensor/index.js';
import { SCHEMA, syntheticSentences } from './fixtures.js';

const H = 3; // lstmHidden → h has 2H = 6 columns
const MAXD = 5;
const vocab = Vocabulary.build(syntheticSentences(8), SCHEMA);

function model(fixRightContext: boolean): JointModel {
  manualSeed(11);
  const cfg = defaultModelConfig({ lstmHidden: H, relFilters: 2, maxDistance: MAXD, dropout: 0, fixRightContext, wordDim: 4, charDim: 3, charFilters: 2, mlpHidden: 4 });
  return new JointModel(cfg, vocab).eval();
}

// Two sentences: lengths 6 and 4, T = 6; h random with sentence 1's padding zero.
const lengths = Int32Array.of(6, 4);
manualSeed(3);
const h = cat([randNormal([1, 6, 2 * H]), cat([randNormal([1, 4, 2 * H]), zeros([1, 2, 2 * H])], 1)], 0);
const hv = h.toFloat64Array();
const at = (b: number, i: number, from: number, n: number) => [...hv.slice((b * 6 + i) * 2 * H + from, (b * 6 + i) * 2 * H + from + n)];
const f = (b: number, i: number) => at(b, i, 0, H); // forward half →h_i
const w = (b: number, i: number) => at(b, i, H, H); // backward half ←h_i
const sub = (a: number[], b: number[]) => a.map((x, i) => x - b[i]);
const Z = new Array(H).fill(0);

const tags0 = Int32Array.of(4, 1, 3, 4, 1, 3);
const tags1 = Int32Array.of(4, 4, 0, 4);
// [sent, s1, e1, s2, e2]
const spec: [number, number, number, number, number][] = [
  [0, 0, 1, 1, 3], // at sentence start, adjacent (empty middle)
  [0, 2, 3, 4, 6], // e2 reaches the sentence end, middle of 1
  [0, 1, 3, 3, 4], // interior: left and right both non-zero
  [1, 0, 1, 1, 2], // second sentence, adjacent
  [1, 1, 2, 3, 4], // second sentence, e2 at its end (padding follows)
];
const pairs: PairSet = {
  count: spec.length,
  sent: Int32Array.from(spec, (p) => p[0]),
  s1: Int32Array.from(spec, (p) => p[1]),
  e1: Int32Array.from(spec, (p) => p[2]),
  s2: Int32Array.from(spec, (p) => p[3]),
  e2: Int32Array.from(spec, (p) => p[4]),
  tagSeq: spec.map((p) => (p[0] === 0 ? tags0 : tags1)),
  labels: new Int32Array(spec.length),
  ent1: new Int32Array(spec.length).fill(-1),
  ent2: new Int32Array(spec.length).fill(-1),
};

const expectedLeft = (b: number, s1: number) => (s1 === 0 ? [...Z, ...Z] : [...f(b, s1 - 1), ...sub(w(b, 0), w(b, s1))]);
const expectedRight = (b: number, e2: number) => {
  const n = lengths[b];
  return e2 === n ? [...Z, ...Z] : [...sub(f(b, n - 1), f(b, e2 - 1)), ...w(b, e2)];
};

function closeList(actual: number[], expected: number[], what: string) {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-5, `${what}[${i}]: ${x} vs ${expected[i]}`));
}

function features(m: JointModel): number[][] {
  const F = m.relationFeatures(h, lengths, pairs);
  const D = F.size(1);
  const v = F.toFloat64Array();
  return spec.map((_, p) => [...v.slice(p * D, (p + 1) * D)]);
}

for (const fix of [true, false])
  test(`LSTM-minus left/right contexts and distance (fixRightContext=${fix})`, () => {
    const m = model(fix);
    const rows = features(m);
    const cnn = 3 * 2 * 2; // three CNNs × widths {2,3} × 2 filters
    rows.forEach((r, p) => {
      const [b, s1, e1, s2, e2] = spec[p];
      const dist = r.slice(cnn, cnn + MAXD);
      const d = Math.min(s2 - e1 + 1, MAXD - 1);
      closeList(dist, dist.map((_, i) => (i === d ? 1 : 0)), `pair ${p} distance`);
      const left = r.slice(cnn + MAXD, cnn + MAXD + 2 * H);
      const right = r.slice(cnn + MAXD + 2 * H);
      closeList(left, expectedLeft(b, s1), `pair ${p} left`);
      closeList(right, fix ? expectedRight(b, e2) : expectedLeft(b, s1), `pair ${p} right`);
    });
  });

test('segment CNNs: empty middle = ReLU(bias); e1/e2 equal the CNN over the segment alone', () => {
  const m = model(true);
  const rows = features(m);
  const relu = (t: Tensor) => [...t.relu().toFloat64Array()];
  const midBias = [...relu(m.relation.mid.convs[0].bias), ...relu(m.relation.mid.convs[1].bias)];
  closeList(rows[0].slice(0, 4), midBias, 'pair 0 middle');
  closeList(rows[3].slice(0, 4), midBias, 'pair 3 middle');
  // Pair 2's e1 = tokens 1..2 of sentence 0: z = h ⊕ onehot(tag) built by hand, CNN on it alone.
  const z = (b: number, i: number, tag: number) => [...at(b, i, 0, 2 * H), ...Array.from({ length: m.numTags }, (_, k) => (k === tag ? 1 : 0))];
  const seg = tensor(Float32Array.from([...z(0, 1, tags0[1]), ...z(0, 2, tags0[2])]), { shape: [1, 2, 2 * H + m.numTags] });
  closeList(rows[2].slice(4, 8), [...m.relation.e1.forward(seg, Int32Array.of(2)).toFloat64Array()], 'pair 2 e1');
  const seg2 = tensor(Float32Array.from([...z(1, 3, tags1[3])]), { shape: [1, 1, 2 * H + m.numTags] });
  closeList(rows[4].slice(8, 12), [...m.relation.e2.forward(seg2, Int32Array.of(1)).toFloat64Array()], 'pair 4 e2');
});

test('relationIndex: padding rows point at the zero row, tags at the zero one-hot', () => {
  const idx = relationIndex(pairs, 6, lengths, 13, MAXD);
  // z blocks hold real tokens only: sentence 0 rows 0..5, sentence 1 rows 6..9 (its h rows 6..9),
  // then the zero row 10 (h row 12 = the zero row of h, tag 13 = the zero one-hot)
  assert.deepEqual([...idx.zH], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12]);
  assert.deepEqual([...idx.zTag], [...tags0, ...tags1, 13]);
  assert.deepEqual([...idx.layout], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // Segments are contiguous runs of layout rows: (first row, length); the empty middles (pairs 0, 2, 3,
  // two sentences) have length 0 and are one segment.
  const at = (s: SegmentIndex, p: number) => [s.start[s.of[p]], s.length[s.of[p]]];
  assert.deepEqual(spec.map((_, p) => at(idx.mid, p)[1]), [0, 1, 0, 0, 1]);
  assert.deepEqual([...idx.mid.of], [0, 1, 0, 0, 2]);
  assert.equal(at(idx.mid, 1)[0], 3);
  assert.equal(at(idx.mid, 4)[0], 6 + 2);
  assert.deepEqual(at(idx.e1, 0), [0, 1]);
  assert.deepEqual(at(idx.e1, 2), [1, 2]);
  assert.deepEqual([...idx.dist], [1, 2, 1, 1, 2]);
});

test('candidatePairs: left-to-right pairs of decoded entities, gold labels, gold pairs added', () => {
  const t = (s: string) => vocab.tags.get(s)!;
  const tags = Int32Array.of(t('U-PER'), t('O'), t('B-ORG'), t('L-ORG'), t('U-LOC'));
  const wf = vocab.relations.get('Work_For-->')!;
  const li = vocab.relations.get('Located_In<--')!;
  const { pairs: ps, entities } = candidatePairs(
    [{ sent: 0, tags, addGold: true, gold: [{ left: [0, 1], right: [2, 4], label: wf }, { left: [1, 2], right: [4, 5], label: li }] }],
    vocab,
  );
  assert.deepEqual(entities[0].map((e) => [e.start, e.end, e.type]), [[0, 1, 'PER'], [2, 4, 'ORG'], [4, 5, 'LOC']]);
  assert.equal(ps.count, 4);
  assert.deepEqual([...ps.s1], [0, 0, 2, 1]);
  assert.deepEqual([...ps.e2], [4, 5, 5, 5]);
  assert.deepEqual([...ps.labels], [wf, 0, 0, li]);
  assert.deepEqual([...ps.ent1], [0, 0, 1, -1]);
});

test('relationIndex: segments of very different lengths: the batched features equal one pair at a time', () => {
  const m = model(true);
  // Pair 1 has a long middle in a long sentence (range-max over many windows), the others short ones.
  const n = 30;
  const hl = randNormal([1, n, 2 * H]);
  const tags = new Int32Array(n).fill(4);
  const mk = (rows: [number, number, number, number][]): PairSet => ({
    count: rows.length,
    sent: new Int32Array(rows.length),
    s1: Int32Array.from(rows, (r) => r[0]),
    e1: Int32Array.from(rows, (r) => r[1]),
    s2: Int32Array.from(rows, (r) => r[2]),
    e2: Int32Array.from(rows, (r) => r[3]),
    tagSeq: rows.map(() => tags),
    labels: new Int32Array(rows.length),
    ent1: new Int32Array(rows.length),
    ent2: new Int32Array(rows.length),
  });
  const rows: [number, number, number, number][] = [[0, 1, 2, 3], [3, 4, 28, 29], [5, 6, 7, 8], [10, 12, 13, 14]];
  const ps = mk(rows);
  const idx = relationIndex(ps, n, Int32Array.of(n), m.numTags, MAXD);
  assert.deepEqual([...idx.mid.length], [1, 24, 1, 1]);
  const all = m.relationFeatures(hl, Int32Array.of(n), ps).toFloat64Array();
  const D = all.length / rows.length;
  rows.forEach((r, p) => {
    const one = m.relationFeatures(hl, Int32Array.of(n), mk([r])).toFloat64Array();
    closeList([...all.slice(p * D, (p + 1) * D)], [...one], `pair ${p}`);
  });
});

test('no pairs: empty feature and logit matrices', () => {
  const m = model(true);
  const none: PairSet = { ...pairs, count: 0, sent: new Int32Array(0), s1: new Int32Array(0), e1: new Int32Array(0), s2: new Int32Array(0), e2: new Int32Array(0), tagSeq: [], labels: new Int32Array(0), ent1: new Int32Array(0), ent2: new Int32Array(0) };
  assert.deepEqual(m.relationLogits(h, lengths, none).shape, [0, m.numLabels]);
});

test('several tag sequences of one sentence share one encoder pass (MRT): batched = separate', async () => {
  const { scheduledGoldProbability } = await import('../../src/model/joint-loss.js');
  const m = model(true);
  const t = (s: string) => vocab.tags.get(s)!;
  const a = Int32Array.of(t('U-PER'), t('O'), t('U-ORG'), t('O'), t('B-LOC'), t('L-LOC'));
  const b = Int32Array.of(t('B-PER'), t('L-PER'), t('O'), t('U-ORG'), t('O'), t('U-LOC'));
  const pa = candidatePairs([{ sent: 0, tags: a }], vocab).pairs;
  const pb = candidatePairs([{ sent: 0, tags: b }, { sent: 1, tags: tags1 }], vocab).pairs;
  // One call with every sequence, as MRT builds its samples' candidates (train/mrt/objective.ts).
  const all = candidatePairs([{ sent: 0, tags: a }, { sent: 0, tags: b }, { sent: 1, tags: tags1 }], vocab).pairs;
  const both = m.relationLogits(h, lengths, all).toFloat64Array();
  const sep = [...m.relationLogits(h, lengths, pa).toFloat64Array(), ...m.relationLogits(h, lengths, pb).toFloat64Array()];
  closeList([...both], sep, 'logits');
  assert.equal(both.length, (pa.count + pb.count) * m.numLabels);
  assert.equal(scheduledGoldProbability(0), 0.5);
  assert.ok(Math.abs(scheduledGoldProbability(1) - 0.2689) < 1e-4, 'Math.abs(scheduledGoldProbability(1) - 0.2689) < 1e-4');
  // k ≠ 1, where epoch / k and epoch differ (review 15b: exp(epoch) in place of exp(epoch / k) passed every test).
  assert.equal(scheduledGoldProbability(2, 4), 4 / (4 + Math.exp(0.5)));
});

test('tag sequences of one sentence share the z rows, segments and contexts they agree on; batched = separate', () => {
  const m = model(true);
  const t = (s: string) => vocab.tags.get(s)!;
  const a = Int32Array.of(t('U-PER'), t('O'), t('U-ORG'), t('O'), t('B-LOC'), t('L-LOC'));
  const b = Int32Array.of(t('U-PER'), t('O'), t('U-ORG'), t('U-PER'), t('B-LOC'), t('L-LOC')); // token 3 differs
  const pa = candidatePairs([{ sent: 0, tags: a }], vocab).pairs; // PER–ORG, PER–LOC, ORG–LOC
  const pb = candidatePairs([{ sent: 0, tags: b }], vocab).pairs; // the same and three with the new PER at 3
  const both = candidatePairs([{ sent: 0, tags: a }, { sent: 0, tags: b }], vocab).pairs;
  const idx = relationIndex(both, 6, lengths, m.numTags, MAXD);
  assert.equal(idx.layout.length, 12); // two blocks of 6 rows
  assert.equal(idx.zH.length, 7 + 1); // 6 rows of a, b's token 3, the zero row
  assert.deepEqual([idx.e1.start.length, idx.e2.start.length], [3, 3]); // entities 0, 2, 3 / 2, 3, 4–5
  assert.equal(idx.mid.start.length, 3 + 4); // b's middle 1–2 is a's
  assert.deepEqual([idx.left.of.length, idx.left.fPlus.length, idx.right.fPlus.length], [9, 3, 3]);
  const batched = m.relationLogits(h, lengths, both).toFloat64Array();
  closeList([...batched], [...m.relationLogits(h, lengths, pa).toFloat64Array(), ...m.relationLogits(h, lengths, pb).toFloat64Array()], 'logits');
});

for (const fix of [true, false])
  test(`relationLogits = W_2 · ReLU(W_1 · f + b_1) + b_2 over the full feature vector (one-hot distance included; fixRightContext=${fix})`, () => {
    const m = model(fix);
    const f = m.relationFeatures(h, lengths, pairs);
    const direct = m.relation.out.forward(m.relation.hidden.forward(f).relu());
    const logits = m.relationLogits(h, lengths, pairs);
    closeList([...logits.toFloat64Array()], [...direct.toFloat64Array()], 'logits');
  });
