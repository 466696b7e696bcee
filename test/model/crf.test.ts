/**
 * The CRF tagger (model.tagger = 'crf'): its tensor forward algorithm, path scores, the JS Viterbi,
 * forward–backward and sampler, each against brute-force enumeration of every valid chunking.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainForwardBackward, tagGrammar, viterbiTags, type ChainScores } from '../../src/data/viterbi.js';
import { Crf } from '../../src/model/layers/crf.js';
import { withParamDType } from '../../src/model/layers/module.js';
import { crfSampler } from '../../src/train/mrt/sampling.js';
import { noGrad, setNumThreads, tensor, tidy } from '../../src/tensor/index.js';
import { validSequences } from '../data/chunkings.js';
import { seededRng } from './fixtures.js';

setNumThreads(1);
const g = tagGrammar(['O', 'B-X', 'I-X', 'L-X', 'U-X', 'B-Y', 'I-Y', 'L-Y', 'U-Y']);
const k = g.n;
const rand = seededRng(21);
const randoms = (m: number) => Float64Array.from({ length: m }, () => 2 * rand.random() - 1);
const chain: ChainScores = { trans: randoms(k * k), start: randoms(k), end: randoms(k) };
// Two sentences, lengths 4 and 2, padded to T = 4.
const T = 4;
const lengths = Int32Array.of(4, 2);
const em = randoms(2 * T * k);

/** Every valid chunking of length n with its unnormalised log-score under (row b of `e`, chain). */
const enumerate = (b: number, n: number, e: Float64Array = em) =>
  validSequences(e.subarray(b * T * k), n, g, chain).map(({ seq, score }) => ({ tags: seq, score }));
const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

/** A float64 Crf holding `chain`'s scores. */
function crfLayer(): Crf {
  const crf = withParamDType('float64', () => new Crf(g));
  noGrad(() => {
    crf.transitions.copy_(tensor(Float64Array.from(chain.trans), { shape: [k, k], dtype: 'float64' }));
    crf.start.copy_(tensor(Float64Array.from(chain.start), { dtype: 'float64' }));
    crf.end.copy_(tensor(Float64Array.from(chain.end), { dtype: 'float64' }));
  });
  return crf;
}

test('CRF log Z (tensor forward algorithm, padded batch) and the JS forward–backward match enumeration', () => {
  const crf = crfLayer();
  const logZ = noGrad(() => tidy(() => crf.logPartition(tensor(em, { shape: [2, T, k], dtype: 'float64' }), lengths).toFloat64Array()));
  for (let b = 0; b < 2; b++) {
    const exact = logSumExp(enumerate(b, lengths[b]).map((p) => p.score));
    assert.ok(Math.abs(logZ[b] - exact) < 1e-9, `sentence ${b}: ${logZ[b]} vs ${exact}`);
    assert.ok(Math.abs(chainForwardBackward(em, b * T * k, lengths[b], g, chain).logZ - exact) < 1e-9, `sentence ${b}: forward–backward log Z vs ${exact}`);
  }
});

test('CRF path log-probabilities: exact for valid chunkings, which sum to 1; an invalid one gets ~0', () => {
  const crf = crfLayer();
  const paths = enumerate(0, 4);
  const emissions = () => tensor(em, { shape: [2, T, k], dtype: 'float64' });
  const logp = noGrad(() => tidy(() => {
    const e = emissions();
    return crf.pathLogProbs(e, crf.logPartition(e, lengths), paths.map((p) => ({ sent: 0, tags: p.tags }))).toFloat64Array();
  }));
  const logZ = logSumExp(paths.map((p) => p.score));
  paths.forEach((p, i) => assert.ok(Math.abs(logp[i] - (p.score - logZ)) < 1e-9, `${p.tags}: ${logp[i]} vs ${p.score - logZ}`));
  assert.ok(Math.abs(logp.reduce((s, x) => s + Math.exp(x), 0) - 1) < 1e-9, 'the valid chunkings\' probabilities sum to 1');
  // I-X first, B-X never closed: forbidden by the grammar.
  const bad = noGrad(() => tidy(() => {
    const e = emissions();
    return crf.pathLogProbs(e, crf.logPartition(e, lengths), [{ sent: 1, tags: [2, 1] }]).item();
  }));
  assert.ok(bad < -1e3, `${bad}`);
});

test('CRF Viterbi returns the best valid chunking; span marginals match enumeration', () => {
  for (let b = 0; b < 2; b++) {
    const n = lengths[b];
    const paths = enumerate(b, n);
    const best = paths.reduce((a, p) => (p.score > a.score ? p : a));
    assert.deepEqual([...viterbiTags(em, b * T * k, n, g, chain)], best.tags);
    // P(t_s..t_(e−1) = best's) by forward–backward, for every span, against the sequences that agree there.
    const fb = chainForwardBackward(em, b * T * k, n, g, chain);
    const logZ = logSumExp(paths.map((p) => p.score));
    for (let s = 0; s < n; s++)
      for (let e = s + 1; e <= n; e++) {
        let lp = fb.logAlpha(s, best.tags[s]) + fb.logBeta(e - 1, best.tags[e - 1]) - fb.logZ;
        for (let i = s + 1; i < e; i++) lp += chain.trans[best.tags[i - 1] * k + best.tags[i]] + em[(b * T + i) * k + best.tags[i]];
        const agree = paths.filter((p) => p.tags.slice(s, e).every((t, i) => t === best.tags[s + i]));
        const exact = logSumExp(agree.map((p) => p.score)) - logZ;
        assert.ok(Math.abs(lp - exact) < 1e-9, `[${s}, ${e}): ${lp} vs ${exact}`);
      }
  }
});

test('CRF forward–backward stays exact when emissions are too far apart to rescale (log-space fallback)', () => {
  // Row 0: a tag no sentence may start with scores 0, every allowed one −800: exp(−800) underflows.
  const far = Float64Array.from(em);
  for (let j = 0; j < k; j++) far[j] = g.first[j] ? -800 + em[j] : 0;
  const n = lengths[0];
  const fb = chainForwardBackward(far, 0, n, g, chain);
  const scores = enumerate(0, n, far).map((p) => p.score);
  assert.ok(Math.abs(fb.logZ - logSumExp(scores)) < 1e-9, `${fb.logZ} vs ${logSumExp(scores)}`);
  assert.ok(Number.isFinite(fb.logAlpha(0, 0)) && Number.isFinite(fb.logBeta(0, 0)), `log α ${fb.logAlpha(0, 0)}, log β ${fb.logBeta(0, 0)}`);
});

test('CRF sampler: ε = 0 draws each valid chunking with its CRF probability; ε > 0 draws only valid ones', () => {
  const n = 3;
  const paths = enumerate(0, n);
  const logZ = logSumExp(paths.map((p) => p.score));
  const draw = crfSampler(em.subarray(0, n * k), n, g, chain);
  const counts = new Map<string, number>();
  const draws = 30000;
  const rng = seededRng(5);
  for (let d = 0; d < draws; d++) {
    const key = draw(0, rng).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const valid = new Set(paths.map((p) => p.tags.join(',')));
  for (const key of counts.keys()) assert.ok(valid.has(key), `invalid chunking drawn: ${key}`);
  for (const p of paths) {
    const q = Math.exp(p.score - logZ);
    const se = Math.sqrt((q * (1 - q)) / draws);
    const f = (counts.get(p.tags.join(',')) ?? 0) / draws;
    assert.ok(Math.abs(f - q) < 5 * se + 1e-9, `${p.tags}: ${f} vs ${q}`);
  }
  // Exploration: with ε = 1 every step is uniform over what the chunking allows, still always valid,
  // and it reaches sequences the CRF itself makes rare.
  const explored = new Set<string>();
  for (let d = 0; d < 2000; d++) {
    const key = draw(1, rng).join(',');
    assert.ok(valid.has(key), key);
    explored.add(key);
  }
  assert.ok(explored.size > valid.size / 2, `${explored.size} of ${valid.size}`);
});

test('CRF sampler on a one-token sentence: draws follow the CRF (O, U-X, U-Y), never the empty sequence', () => {
  // Review 10a M5: with `n === 1` for `n === 0` every one-token sentence got tag 0 (O) whatever the CRF said.
  const paths = enumerate(0, 1);
  assert.deepEqual(paths.map((p) => p.tags).sort(), [[0], [4], [8]]);
  const logZ = logSumExp(paths.map((p) => p.score));
  const draw = crfSampler(em.subarray(0, k), 1, g, chain);
  const rng = seededRng(6);
  const draws = 6000;
  const counts = new Map<string, number>();
  for (let d = 0; d < draws; d++) {
    const t = draw(0, rng);
    assert.equal(t.length, 1);
    counts.set(t.join(','), (counts.get(t.join(',')) ?? 0) + 1);
  }
  for (const p of paths) {
    const q = Math.exp(p.score - logZ);
    const f = (counts.get(p.tags.join(',')) ?? 0) / draws;
    assert.ok(Math.abs(f - q) < 5 * Math.sqrt((q * (1 - q)) / draws) + 1e-9, `${p.tags}: ${f} vs ${q}`);
  }
  // An emission that makes U-Y certain: every draw is U-Y.
  const sure = Float64Array.from({ length: k }, (_, j) => (j === 8 ? 50 : -50));
  const always = crfSampler(sure, 1, g, chain);
  for (let d = 0; d < 20; d++) assert.deepEqual([...always(0, rng)], [8]);
});
