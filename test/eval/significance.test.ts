/**
 * Bootstrap intervals and paired significance tests (src/eval/significance.ts): the unit counts agree with
 * `evaluate`, the randomization test agrees with the exact permutation test, and the resampling is seeded,
 * paired and by whole units.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Document } from '../../src/data/corpus.js';
import { isUserError } from '../../src/errors.js';
import { compareCounts, compareSystems, confidenceIntervals, evaluate, formatComparison, scores, unitCounts, MEASURES, type UnitCounts } from '../../src/eval/index.js';
import { doc, schema, sent } from './helpers.js';
import { timed } from '../cpu-clock.js';

const S = schema(['Peop', 'Loc'], ['Live_In']);

/** John(Peop) lives in Boston(Loc). */
const gold1 = () => sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Live_In']]);
/** The kinds of prediction a unit can hold, from right to wrong. */
const OUTPUT = {
  right: gold1,
  noRelation: () => sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc']]),
  wrongType: () => sent(6, [[0, 1, 'Loc'], [4, 5, 'Loc']], [[0, 1, 'Live_In']]),
  extra: () => sent(6, [[0, 1, 'Peop'], [2, 3, 'Loc'], [4, 5, 'Loc']], [[0, 2, 'Live_In'], [0, 1, 'Live_In']]),
  nothing: () => sent(6, []),
} as const;
type Kind = keyof typeof OUTPUT;

const goldDocs = (n: number): Document[] => Array.from({ length: n }, (_, i) => doc(`d${i}`, gold1()));
const system = (kinds: Kind[]): Document[] => kinds.map((k, i) => doc(`d${i}`, OUTPUT[k]()));
const f1Of = (c: Int32Array) => {
  let tp = 0, fp = 0, fn = 0;
  for (let u = 0; u < c.length / 3; u++) [tp, fp, fn] = [tp + c[3 * u], fp + c[3 * u + 1], fn + c[3 * u + 2]];
  return scores({ tp, fp, fn }).f1;
};

test('unit counts add up to evaluate\'s micro counts, by document and by sentence', () => {
  const gold = [doc('a', gold1(), gold1()), doc('b', gold1()), doc('c', gold1(), gold1(), gold1())];
  const pred = [doc('a', OUTPUT.extra(), OUTPUT.wrongType()), doc('b', OUTPUT.noRelation()), doc('c', OUTPUT.right(), OUTPUT.nothing(), OUTPUT.extra())];
  const report = evaluate(gold, pred, { schema: S });
  const micro = { entities: report.entities.micro, strict: report.relations.strict.micro, boundaries: report.relations.boundaries.micro };
  for (const unit of ['document', 'sentence'] as const) {
    const u = unitCounts(gold, pred, { schema: S, unit });
    assert.equal(u.units, unit === 'document' ? 3 : 6);
    for (const m of MEASURES) {
      const sum = [0, 1, 2].map((j) => u.counts[m].reduce((a, x, i) => (i % 3 === j ? a + x : a), 0));
      assert.deepEqual(sum, [micro[m].tp, micro[m].fp, micro[m].fn], `${unit} ${m}`);
    }
  }
  // Document c: right (2 tp, 1 rel tp), nothing (2 fn, 1 fn), extra (2 tp + 1 fp; 1 tp + 1 fp): entities [4, 1, 2].
  assert.deepEqual([...unitCounts(gold, pred, { schema: S }).counts.entities.slice(6, 9)], [4, 1, 2]);
});

test('intervals: seeded, nested by confidence, degenerate where every unit scores alike', () => {
  const kinds: Kind[] = ['right', 'noRelation', 'wrongType', 'extra', 'nothing', 'right', 'extra', 'right', 'noRelation', 'right'];
  const gold = goldDocs(kinds.length), pred = system(kinds);
  const a = confidenceIntervals(gold, pred, { schema: S, seed: 7 });
  assert.deepEqual(confidenceIntervals(gold, pred, { schema: S, seed: 7 }), a);
  assert.notDeepEqual(confidenceIntervals(gold, pred, { schema: S, seed: 8 }).relations.strict, a.relations.strict);
  // Every bit of a seed counts: 2^32 + 7 is not 7.
  assert.notDeepEqual(confidenceIntervals(gold, pred, { schema: S, seed: 2 ** 32 + 7 }).relations.strict, a.relations.strict);
  assert.deepEqual([a.unit, a.units, a.samples, a.confidence], ['document', 10, 1000, 0.95]);
  const report = evaluate(gold, pred, { schema: S });
  const point = { entities: report.entities.micro, strict: report.relations.strict.micro };
  for (const [m, i] of [['entities', a.entities], ['strict', a.relations.strict]] as const)
    for (const k of ['p', 'r', 'f1'] as const) {
      assert.ok(i[k].low <= point[m][k] && point[m][k] <= i[k].high, `${m} ${k}`);
      assert.ok(i[k].low < i[k].high, `${m} ${k} has spread`);
    }
  // The same resamples at a lower coverage: an interval inside the wider one.
  const half = confidenceIntervals(gold, pred, { schema: S, seed: 7, confidence: 0.5 });
  assert.ok(half.relations.strict.f1.low >= a.relations.strict.f1.low && half.relations.strict.f1.high <= a.relations.strict.f1.high, JSON.stringify([half.relations.strict.f1, a.relations.strict.f1]));
  assert.ok(half.relations.strict.f1.high - half.relations.strict.f1.low < a.relations.strict.f1.high - a.relations.strict.f1.low, JSON.stringify([half.relations.strict.f1, a.relations.strict.f1]));
  // Units that all score alike: every resample scores the same, whatever it draws.
  const alike = confidenceIntervals(goldDocs(6), system(Array(6).fill('extra')), { schema: S });
  assert.deepEqual(alike.entities.f1, { low: 0.8, high: 0.8 });
  assert.deepEqual(alike.relations.strict.p, { low: 0.5, high: 0.5 });
  const perfect = confidenceIntervals(goldDocs(4), goldDocs(4), { schema: S });
  assert.deepEqual(perfect.relations.boundaries.f1, { low: 1, high: 1 });
});

test('resampling by document keeps a document\'s sentences together', () => {
  // Two documents: one all right, one all wrong. By document a resample's F1 can only be a mix of whole
  // documents (0, 0.5 or 1 of recall); by sentence it takes other values too.
  const gold = [doc('a', gold1(), gold1(), gold1()), doc('b', gold1(), gold1(), gold1())];
  const pred = [doc('a', OUTPUT.right(), OUTPUT.right(), OUTPUT.right()), doc('b', OUTPUT.nothing(), OUTPUT.nothing(), OUTPUT.nothing())];
  const byDoc = confidenceIntervals(gold, pred, { schema: S, confidence: 0.999, samples: 400 });
  // Recall of a resample of 2 documents: 0, 1/2 or 1.
  assert.deepEqual(byDoc.entities.r, { low: 0, high: 1 });
  const bySentence = confidenceIntervals(gold, pred, { schema: S, unit: 'sentence', confidence: 0.5, samples: 400 });
  assert.equal(bySentence.units, 6);
  assert.ok(bySentence.entities.r.low > 0 && bySentence.entities.r.high < 1, JSON.stringify(bySentence.entities.r));
});

/** The exact two-sided permutation p-value: every one of the 2^n swaps of whole units. */
function exactP(a: UnitCounts, b: UnitCounts, m: (typeof MEASURES)[number]): number {
  const n = a.units;
  const observed = Math.abs(f1Of(b.counts[m]) - f1Of(a.counts[m]));
  let reach = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    const [x, y] = [new Int32Array(3 * n), new Int32Array(3 * n)];
    for (let u = 0; u < n; u++) {
      const swap = (mask >> u) & 1;
      for (let j = 0; j < 3; j++) {
        x[3 * u + j] = (swap ? b : a).counts[m][3 * u + j];
        y[3 * u + j] = (swap ? a : b).counts[m][3 * u + j];
      }
    }
    if (Math.abs(f1Of(y) - f1Of(x)) >= observed - 1e-12) reach++;
  }
  return reach / 2 ** n;
}

test('approximate randomization agrees with the exact permutation test', () => {
  // 11 documents, 3 scored alike by both systems (shuffling them changes nothing).
  const ka: Kind[] = ['right', 'noRelation', 'right', 'nothing', 'right', 'extra', 'right', 'wrongType', 'right', 'right', 'noRelation'];
  const kb: Kind[] = ['right', 'right', 'right', 'right', 'extra', 'right', 'noRelation', 'right', 'right', 'right', 'right'];
  const gold = goldDocs(ka.length);
  const [a, b] = [unitCounts(gold, system(ka), { schema: S }), unitCounts(gold, system(kb), { schema: S })];
  const trials = 20_000;
  const c = compareCounts([a, b], { trials, samples: 10 });
  const diffs = { entities: c.comparisons[0].entities, strict: c.comparisons[0].relations.strict, boundaries: c.comparisons[0].relations.boundaries };
  for (const m of MEASURES) {
    const exact = exactP(a, b, m);
    assert.ok(exact > 0.01 && exact < 0.9, `${m}: a p-value worth estimating (${exact})`);
    // Four standard errors of a binomial share of 20,000.
    const tolerance = 4 * Math.sqrt((exact * (1 - exact)) / trials) + 1 / trials;
    assert.ok(Math.abs(diffs[m].p - exact) < tolerance, `${m}: randomization ${diffs[m].p}, exact ${exact}`);
  }
});

test('paired comparison: identical systems, a uniformly better one, order and added systems', () => {
  const gold = goldDocs(30);
  const worse = system(Array.from({ length: 30 }, (_, i): Kind => (i % 2 ? 'noRelation' : 'nothing')));
  const better = system(Array(30).fill('right'));
  const same = compareSystems(gold, [worse, worse], { schema: S, trials: 500, samples: 200 });
  assert.deepEqual(same.comparisons[0].relations.strict, { baseline: 0, system: 0, diff: 0, interval: { low: 0, high: 0 }, p: 1 });
  assert.equal(same.comparisons[0].entities.p, 1);
  const trials = 2000;
  const c = compareSystems(gold, [worse, better], { schema: S, trials, samples: 500, seed: 3 });
  const strict = c.comparisons[0].relations.strict;
  assert.equal(strict.diff, 1);
  // Better on all 30 documents: no shuffle of 2000 reaches the observed difference (chance 2 in 2^30).
  assert.equal(strict.p, 1 / (trials + 1));
  assert.ok(c.comparisons[0].entities.interval.low > 0, JSON.stringify(c.comparisons[0].entities.interval));
  assert.deepEqual(c.systems.map((s) => s.relations.strict.f1), [0, 1]);
  // Baseline and system exchanged: the same resamples and shuffles, so the difference and interval negate.
  const mixed = system(Array.from({ length: 30 }, (_, i): Kind => (['right', 'extra', 'noRelation', 'wrongType'] as const)[i % 4]));
  const ab = compareSystems(gold, [worse, mixed], { schema: S, trials: 500, samples: 300 }).comparisons[0].entities;
  const ba = compareSystems(gold, [mixed, worse], { schema: S, trials: 500, samples: 300 }).comparisons[0].entities;
  assert.equal(ba.diff, -ab.diff);
  // (up to rounding: the interval's ends are interpolated between two order statistics)
  assert.ok(Math.abs(ba.interval.low + ab.interval.high) < 1e-12 && Math.abs(ba.interval.high + ab.interval.low) < 1e-12, JSON.stringify([ab, ba]));
  assert.equal(ba.p, ab.p);
  // A third system changes nothing about the second's row.
  const three = compareSystems(gold, [worse, mixed, better], { schema: S, trials: 500, samples: 300 });
  assert.deepEqual(three.comparisons[0].entities, ab);
  assert.equal(three.comparisons[1].system, 2);
});

/** Unit counts of `units` units, each the same `[tp, fp, fn]` under every measure. */
const sameCounts = (units: number, unit: (u: number) => [number, number, number]): UnitCounts => {
  const c = new Int32Array(3 * units);
  for (let u = 0; u < units; u++) c.set(unit(u), 3 * u);
  return { unit: 'document', units, counts: { entities: c, strict: c, boundaries: c } };
};

test('two F1s that are the same fraction differ by exactly 0, not by the last bit of their quotients', () => {
  // P 1, R 1/5 and P 1/2, R 1/4: F1 1/3 both, but P and R divided first give 0.33333333333333337 and 0.3333333333333333.
  assert.ok(scores({ tp: 1, fp: 1, fn: 3 }).f1 < scores({ tp: 1, fp: 0, fn: 4 }).f1, 'the two quotients differ in the last bit');
  const c = compareCounts([sameCounts(1, () => [1, 0, 4]), sameCounts(1, () => [1, 1, 3])], { samples: 20, trials: 20 });
  const d = c.comparisons[0].entities;
  assert.ok(Object.is(d.diff, 0) && Object.is(d.interval.low, 0) && Object.is(d.interval.high, 0), JSON.stringify(d));
  assert.equal(d.p, 1);
  assert.match(formatComparison(c, ['a', 'b']), /^ {2}Entities +33\.33 +33\.33 +\+0\.00 +\[\+0\.00, \+0\.00\] +1\.0000$/m);
});

test('approximate randomization of 50,000 differing documents: 2,000 shuffles in a fraction of a second', () => {
  // Each shuffle moves about half the units; one coin flip a unit, 32 from each draw of the generator.
  let x = 1;
  const next = () => (x = (x * 48271) % 2147483647) % 5;
  const [a, b] = [sameCounts(50_000, () => [next(), next(), next()]), sameCounts(50_000, () => [next(), next(), next()])];
  // Time not counting other processes' (cpu-clock.ts): beside 4 busy ones on 2 cores it measured 6.7 s.
  const { value: c, ms } = timed(() => compareCounts([a, b], { samples: 1, trials: 2000 }));
  // About 0.5 s; 3 leaves room for a slower machine (drawing a coin per unit and summing per measure took 7.5 s).
  assert.ok(ms < 3000, `${(ms / 1000).toFixed(1)} s`);
  assert.ok(c.comparisons[0].entities.p > 1 / 2001, `p ${c.comparisons[0].entities.p}`);
});

test('the comparison table: block titles outside the columns, p-values never shown as 0', () => {
  const gold = goldDocs(30);
  const long = (name: string) => `/experiments/runs/a-rather-long-directory-name-for-one-run/seed-4/predictions/${name}.jsonl`;
  const c = compareSystems(gold, [system(Array(30).fill('nothing')), system(Array(30).fill('right'))], { schema: S, samples: 50, trials: 100_000 });
  const text = formatComparison(c, [long('a'), long('b')]);
  assert.match(text, new RegExp(`^${long('b')} against ${long('a')}$`, 'm'));
  // The measures' rows are as wide as the measures' titles and the numbers, whatever the names.
  for (const line of text.split('\n').filter((l) => l.startsWith('  '))) assert.ok(line.length < 90, line);
  // Better on all 30 documents: no shuffle of 100,000 reaches it (chance 2 in 2^30 each), p = 1/100,001.
  assert.equal(c.comparisons[0].relations.strict.p, 1 / 100_001);
  assert.match(text, /^ {2}Relations \(strict\) .* 0\.000010$/m);
  assert.match(text, /the smallest it can give is 0\.000010\)/);
});

test('bad settings and inputs are UserErrors naming the setting', () => {
  const gold = goldDocs(3), pred = system(['right', 'nothing', 'extra']);
  const cases: [() => unknown, RegExp][] = [
    [() => confidenceIntervals(gold, pred, { samples: 0 }), /samples must be a positive integer, not 0/],
    [() => confidenceIntervals(gold, pred, { samples: 2.5 }), /samples must be a positive integer/],
    [() => confidenceIntervals(gold, pred, { confidence: 95 }), /confidence must be between 0 and 1 \(e\.g\. 0\.95\), not 95/],
    [() => confidenceIntervals(gold, pred, { confidence: 1 }), /confidence must be between 0 and 1/],
    [() => confidenceIntervals(gold, pred, { unit: 'paragraph' as 'document' }), /unit must be one of document, sentence, not "paragraph"/],
    [() => confidenceIntervals(gold, pred, { seed: 0.5 }), /seed must be an integer/],
    [() => confidenceIntervals([], [], {}), /nothing to resample: the gold data has no documents/],
    [() => compareSystems(gold, [pred], {}), /at least two systems, not 1/],
    [() => compareSystems(gold, [pred, pred], { trials: 0 }), /trials must be a positive integer/],
    [() => compareCounts([unitCounts(gold, pred), unitCounts(gold.slice(1), pred.slice(1))]), /same 3 gold documents/],
    [() => compareCounts([unitCounts(gold, pred), unitCounts(gold, pred, { unit: 'sentence' })], { unit: 'document' }), /same 3 gold documents/],
  ];
  for (const [f, message] of cases)
    assert.throws(f, (e: unknown) => isUserError(e) && message.test((e as Error).message), String(message));
});

// ------------------------------------------------------------ against a straightforward reference (review 10a G2, G3, G6)

type Measure = (typeof MEASURES)[number];
/** F1 = 2tp / (2tp + fp + fn), 0 without a true positive. */
const plainF1 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));
/** Micro [tp, fp, fn] of the units listed (each as often as listed). */
const sums = (c: Int32Array, units: Iterable<number>) => {
  const t = [0, 0, 0];
  for (const u of units) for (let j = 0; j < 3; j++) t[j] += c[3 * u + j];
  return t;
};
/** The documented interval: linear interpolation between the order statistics at q·(n − 1). */
function percentile(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const x = q * (v.length - 1);
  const lo = Math.floor(x);
  return lo + 1 < v.length ? v[lo] + (x - lo) * (v[lo + 1] - v[lo]) : v[lo];
}
/** `samples` resamples of n units: n uniform draws each, in the generator's order. */
const resamples = (gen: ReturnType<typeof xoroshiro128plus>, n: number, samples: number) =>
  Array.from({ length: samples }, () => Array.from({ length: n }, () => uniformInt(gen, 0, n - 1)));

/**
 * compareCounts of two systems, the naive way, reading one generator seeded with `seed` as documented: all the
 * resamples first, then per shuffle one 32-bit draw for each 32 units where the systems differ (lowest bit
 * first; a unit both systems score alike, same tp and same fp + fn under every measure, cannot change a
 * shuffle's F1s and gets no coin). Every F1 is computed from the whole swapped tables.
 */
function referenceComparison(a: UnitCounts, b: UnitCounts, o: { samples: number; trials: number; seed: number; confidence: number }) {
  const n = a.units;
  const gen = xoroshiro128plus(o.seed);
  const draws = resamples(gen, n, o.samples);
  const differing = Array.from({ length: n }, (_, u) => u).filter((u) =>
    MEASURES.some((m) => a.counts[m][3 * u] !== b.counts[m][3 * u] || a.counts[m][3 * u + 1] + a.counts[m][3 * u + 2] !== b.counts[m][3 * u + 1] + b.counts[m][3 * u + 2]),
  );
  const swaps = Array.from({ length: o.trials }, () => {
    const swapped = new Set<number>();
    for (let i = 0; i < differing.length; i += 32) {
      const bits = gen.next();
      for (let k = i; k < Math.min(differing.length, i + 32); k++) if ((bits >>> (k - i)) & 1) swapped.add(differing[k]);
    }
    return swapped;
  });
  const all = Array.from({ length: n }, (_, u) => u);
  const f1 = (c: Int32Array, units: Iterable<number>) => plainF1(...(sums(c, units) as [number, number, number]));
  return Object.fromEntries(MEASURES.map((m) => {
    const [x, y] = [a.counts[m], b.counts[m]];
    const observed = f1(y, all) - f1(x, all);
    const diffs = draws.map((idx) => f1(y, idx) - f1(x, idx));
    const tail = (1 - o.confidence) / 2;
    let hits = 0;
    for (const swapped of swaps) {
      // After the swap: unit u's counts from the other system where it is swapped.
      const [xs, ys] = [new Int32Array(x), new Int32Array(y)];
      for (const u of swapped) for (let j = 0; j < 3; j++) [xs[3 * u + j], ys[3 * u + j]] = [y[3 * u + j], x[3 * u + j]];
      if (Math.abs(f1(ys, all) - f1(xs, all)) >= Math.abs(observed) - 1e-12) hits++;
    }
    return [m, { diff: observed, interval: { low: percentile(diffs, tail), high: percentile(diffs, 1 - tail) }, p: (hits + 1) / (o.trials + 1) }];
  })) as Record<Measure, { diff: number; interval: { low: number; high: number }; p: number }>;
}

/** Random unit counts (a Lehmer generator): `units` units, tp/fp/fn in 0…3 under each measure, some units alike. */
function randomTables(units: number, seed: number): [UnitCounts, UnitCounts] {
  let x = seed;
  const next = () => (x = (x * 48271) % 2147483647) % 4;
  const table = () => ({ entities: new Int32Array(3 * units), strict: new Int32Array(3 * units), boundaries: new Int32Array(3 * units) });
  const [a, b] = [table(), table()];
  for (let u = 0; u < units; u++) {
    const alike = next() === 0;
    for (const m of MEASURES)
      for (let j = 0; j < 3; j++) {
        a[m][3 * u + j] = next();
        b[m][3 * u + j] = alike ? a[m][3 * u + j] : next();
      }
  }
  return [{ unit: 'document', units, counts: a }, { unit: 'document', units, counts: b }];
}

const comparisonOf = (c: ReturnType<typeof compareCounts>) => {
  const d = c.comparisons[0];
  return { entities: d.entities, strict: d.relations.strict, boundaries: d.relations.boundaries };
};

test('the paired bootstrap interval and the randomization p-value are the documented computation with the seed\'s draws', () => {
  // 6 tables of 7…40 units (more than 32 differing units in the last: two draws per shuffle).
  let checked = 0;
  for (const [units, seed] of [[7, 11], [10, 12], [13, 13], [17, 14], [23, 15], [40, 16]]) {
    const [a, b] = randomTables(units, seed);
    const o = { samples: 60, trials: 400, seed: seed * 3, confidence: 0.9 };
    const got = comparisonOf(compareCounts([a, b], o));
    const want = referenceComparison(a, b, o);
    for (const m of MEASURES) {
      const at = `${units} units, ${m}: ${JSON.stringify(got[m])} vs ${JSON.stringify(want[m])}`;
      assert.ok(Math.abs(got[m].diff - want[m].diff) < 1e-12, at);
      assert.ok(Math.abs(got[m].interval.low - want[m].interval.low) < 1e-12 && Math.abs(got[m].interval.high - want[m].interval.high) < 1e-12, at);
      assert.equal(got[m].p, want[m].p, at);
      if (want[m].interval.low < want[m].interval.high) checked++;
    }
  }
  assert.ok(checked >= 12, `${checked} measures with an interval of some width`);
});

test('paired bootstrap of a difference: the interval holds the observed difference strictly inside, for systems that differ unevenly', () => {
  // Review 10a G2: without the resample every "resample" was unit 0 n times, an interval of one point.
  const kb: Kind[] = ['right', 'noRelation', 'extra', 'right', 'nothing', 'right', 'wrongType', 'right', 'extra', 'right', 'right', 'noRelation'];
  const ka: Kind[] = ['noRelation', 'noRelation', 'right', 'nothing', 'nothing', 'right', 'right', 'extra', 'extra', 'wrongType', 'right', 'nothing'];
  const gold = goldDocs(ka.length);
  const c = compareSystems(gold, [system(ka), system(kb)], { schema: S, samples: 400, trials: 10, seed: 5 });
  for (const [m, d] of Object.entries(comparisonOf(c))) {
    assert.ok(d.diff !== 0, `${m}: the systems differ`);
    assert.ok(d.interval.low < d.diff && d.diff < d.interval.high, `${m}: ${d.diff} in ${JSON.stringify(d.interval)}`);
  }
});

test('randomization: identical systems get p = 1 under every measure, also a measure with nothing in it', () => {
  // Review 10a G3: F1 of 0 TP and 0 errors must be 0, not 0/0 (NaN never reaches the observed difference).
  const entitiesOnly = (): Document[] => Array.from({ length: 6 }, (_, i) => doc(`d${i}`, sent(6, i % 2 ? [[0, 1, 'Peop']] : [[0, 1, 'Peop'], [4, 5, 'Loc']])));
  const pred = system(['nothing', 'noRelation', 'right', 'nothing', 'right', 'noRelation']).map((d) => ({ ...d, sentences: d.sentences.map((s) => ({ ...s, relations: [] })) }));
  const c = compareSystems(entitiesOnly(), [pred, pred], { schema: S, samples: 20, trials: 300 });
  const u = unitCounts(entitiesOnly(), pred, { schema: S });
  assert.deepEqual([...u.counts.strict], new Array(18).fill(0), 'no relation anywhere');
  for (const [m, d] of Object.entries(comparisonOf(c))) assert.deepEqual([d.diff, d.p], [0, 1], m);
  // Hand-made counts: every unit's relations empty, entities alike.
  const same = sameCounts(5, (u) => [u, 1, 2]);
  const empty = { ...same, counts: { entities: same.counts.entities, strict: new Int32Array(15), boundaries: new Int32Array(15) } };
  for (const [m, d] of Object.entries(comparisonOf(compareCounts([empty, empty], { samples: 10, trials: 200 })))) assert.equal(d.p, 1, m);
});

test('randomization sees every unit: two better documents behind six alike give the exact p = 1/2', () => {
  // Review 10a G3: looking at the first ¾ of the units only left nothing to shuffle (p = 1). Of the 4 swaps
  // of the 2 differing units, none and both reach |difference|, one of them gives 0.
  const gold = goldDocs(8);
  const a = unitCounts(gold, system(['right', 'extra', 'noRelation', 'right', 'wrongType', 'nothing', 'nothing', 'nothing']), { schema: S });
  const b = unitCounts(gold, system(['right', 'extra', 'noRelation', 'right', 'wrongType', 'nothing', 'right', 'right']), { schema: S });
  const trials = 4000;
  const d = comparisonOf(compareCounts([a, b], { samples: 10, trials, seed: 9 }));
  for (const m of MEASURES) {
    assert.equal(exactP(a, b, m), 0.5, m);
    assert.ok(Math.abs(d[m].p - 0.5) < 4 * Math.sqrt(0.25 / trials), `${m}: ${d[m].p}`);
  }
});

test('bootstrap percentile interval: interpolated between order statistics (3 resamples, 95 %)', () => {
  // Review 10a G6. The 3 resampled F1s from the seed's draws, then by hand: the 2.5 % point is 0.05 of the
  // way from the 1st to the 2nd order statistic, the 97.5 % point 0.95 of the way from the 2nd to the 3rd.
  const kinds: Kind[] = ['right', 'nothing', 'extra', 'noRelation', 'right', 'wrongType', 'nothing'];
  const gold = goldDocs(kinds.length), pred = system(kinds);
  const u = unitCounts(gold, pred, { schema: S });
  const seed = 4;
  const f1s = resamples(xoroshiro128plus(seed), u.units, 3).map((idx) => plainF1(...(sums(u.counts.entities, idx) as [number, number, number])));
  const [s0, s1, s2] = [...f1s].sort((x, y) => x - y);
  assert.ok(s0 < s1 && s1 < s2, `three different resampled F1s: ${f1s}`);
  const ci = confidenceIntervals(gold, pred, { schema: S, samples: 3, seed });
  const close = (x: number, y: number) => Math.abs(x - y) < 1e-12;
  assert.ok(close(ci.entities.f1.low, s0 + 0.05 * (s1 - s0)) && close(ci.entities.f1.high, s1 + 0.95 * (s2 - s1)), `${JSON.stringify(ci.entities.f1)} vs order statistics ${[s0, s1, s2]}`);
});
