/**
 * How sure is a score, and is one system really better than another? Not in the paper; the field's
 * standard practice, over the micro scores of `evaluate`:
 * - **confidence intervals**: the percentile bootstrap (Efron & Tibshirani 1993). Resample the evaluation
 *   units with replacement, score each resample, keep the middle `confidence` of the resampled scores.
 * - **the paired bootstrap of a difference** (Koehn 2004; Berg-Kirkpatrick et al. 2012): the same
 *   resampled units for both systems, so the interval is that of F1(system) − F1(baseline).
 * - **approximate randomization** (Noreen 1989; Riezler & Maxwell 2005): swap the two systems' outputs of
 *   each unit with probability ½; the two-sided p-value is the share of shuffles whose |difference|
 *   reaches the observed one, (c + 1) / (trials + 1).
 * The unit is a gold document by default: the sentences of one document share a topic and an annotator,
 * so they are not independent draws (`sentence` resamples sentences; CoNLL04's and NYT's documents are
 * single sentences anyway). Micro scores only: a resample's micro P/R/F1 needs only the TP/FP/FN sums of
 * its units, so a resample costs one pass over them.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Document } from '../data/corpus.js';
import { seededGenerator } from '../data/seeded-rng.js';
import { checkOptions, described, UserError } from '../errors.js';
import { EVALUATE_OPTIONS, forEachSentencePair, schemaFor, type EvaluateOptions } from './evaluate.js';
import { scores, type Counts, type TypeScores } from './metrics.js';
import { compactPair, criterionItems } from './scorer.js';

/** The micro scores resampled: entities, and relations under the strict and boundaries criteria. */
export const MEASURES = ['entities', 'strict', 'boundaries'] as const;
type Measure = (typeof MEASURES)[number];
export const RESAMPLE_UNITS = ['document', 'sentence'] as const;
export type ResampleUnit = (typeof RESAMPLE_UNITS)[number];

/** Every unit's micro TP/FP/FN under each measure: unit i's at 3i, 3i + 1, 3i + 2. */
export interface UnitCounts {
  unit: ResampleUnit;
  units: number;
  counts: Record<Measure, Int32Array>;
}

export interface ResampleOptions {
  /** What is resampled (default `document`). */
  unit?: ResampleUnit;
  /** Bootstrap resamples (default 1,000). */
  samples?: number;
  /** Seeds the resampling (default 1): the same seed and options give the same figures. */
  seed?: number;
  /** The interval's coverage, in (0, 1) (default 0.95). */
  confidence?: number;
  /**
   * Told how many resamples are done (with `compareSystems`, resamples and randomization shuffles, of every
   * system against the baseline) of how many, for a progress bar: at the start, every 64 and at the end.
   */
  onProgress?: (done: number, total: number) => void;
}

const RESAMPLE_OPTIONS: readonly (keyof ResampleOptions)[] = ['unit', 'samples', 'seed', 'confidence', 'onProgress'];

export interface CompareSystemsOptions extends ResampleOptions {
  /** Approximate randomization shuffles (default 10,000). */
  trials?: number;
}

export interface Interval {
  low: number;
  high: number;
}

/** The resampling behind a figure, as given or defaulted. */
export interface ResampleSettings {
  unit: ResampleUnit;
  /** How many units there were to resample. */
  units: number;
  samples: number;
  seed: number;
  confidence: number;
}

export interface ScoreIntervals extends ResampleSettings {
  entities: { p: Interval; r: Interval; f1: Interval };
  relations: { strict: { p: Interval; r: Interval; f1: Interval }; boundaries: { p: Interval; r: Interval; f1: Interval } };
}

/** One measure's F1 of a system against the baseline's, on the same gold. */
export interface Difference {
  baseline: number;
  system: number;
  /** system − baseline. */
  diff: number;
  /** The paired bootstrap interval of `diff`. */
  interval: Interval;
  /** Approximate randomization, two-sided. */
  p: number;
}

export interface SystemComparison {
  /** Index of the system in the list compared (the baseline is 0). */
  system: number;
  entities: Difference;
  relations: { strict: Difference; boundaries: Difference };
}

export interface SystemsComparison extends ResampleSettings {
  trials: number;
  /** Micro scores of each system, in the order given. */
  systems: { entities: TypeScores; relations: { strict: TypeScores; boundaries: TypeScores } }[];
  /** Every system after the first against the first. */
  comparisons: SystemComparison[];
}

const DEFAULTS = { unit: 'document', samples: 1000, seed: 1, confidence: 0.95, trials: 10_000 } as const;

function settings(opts: CompareSystemsOptions): Omit<ResampleSettings, 'units'> & { trials: number } {
  const s = { ...DEFAULTS, ...definedOnly(opts) };
  if (!RESAMPLE_UNITS.includes(s.unit)) throw new UserError(`unit must be one of ${RESAMPLE_UNITS.join(', ')}, not ${JSON.stringify(s.unit)}`);
  for (const k of ['samples', 'trials'] as const)
    if (!Number.isSafeInteger(s[k]) || s[k] < 1) throw new UserError(`${k} must be a positive integer, not ${s[k]}`);
  if (!Number.isSafeInteger(s.seed)) throw new UserError(`seed must be an integer, not ${s.seed}`);
  if (!(s.confidence > 0 && s.confidence < 1)) throw new UserError(`confidence must be between 0 and 1 (e.g. 0.95), not ${s.confidence}`);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') throw new UserError(`onProgress must be a function, not ${described(opts.onProgress)}`);
  const { unit, samples, seed, confidence, trials } = s;
  return { unit, samples, seed, confidence, trials };
}

/** Called by a resampling loop after each resample or shuffle. */
type Step = () => void;

/** A Step of `total` that tells `onProgress` at the start, every 64th step and the last. */
function steps(total: number, onProgress: ResampleOptions['onProgress']): Step {
  if (!onProgress) return () => {};
  let done = 0;
  onProgress(0, total);
  return () => {
    if (++done % 64 === 0 || done === total) onProgress(done, total);
  };
}

/**
 * Each sentence of `scored` (gold on common tokens) as the index of the gold sentence it is, or undefined
 * where its sentences are not gold's: joined, or added where gold has no tokens. Empty gold sentences have
 * no place in the text and none on common tokens.
 */
function goldSentenceIndexes(scored: Document, original: Document): number[] | undefined {
  const own = original.sentences.flatMap((s, i) => (s.tokens.length > 0 ? [i] : []));
  const same = scored.sentences.length === own.length && scored.sentences.every((s, k) => s.tokens[0]?.start === original.sentences[own[k]].tokens[0].start);
  return same ? own : undefined;
}

/** Options left undefined take their defaults. */
const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Each unit's TP/FP/FN, scored exactly as `evaluate` scores (pairing, tokens, symmetric types, --paper-compat). */
export function unitCounts(gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions & { unit?: ResampleUnit } = {}): UnitCounts {
  const unit = opts.unit ?? DEFAULTS.unit;
  const schema = schemaFor(gold, pred, opts);
  const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const units = unit === 'document' ? gold.length : gold.reduce((n, d) => n + d.sentences.length, 0);
  const counts = { entities: new Int32Array(3 * units), strict: new Int32Array(3 * units), boundaries: new Int32Array(3 * units) };
  // The unit of gold's sentence k of document d: first[d] + k.
  let before = 0;
  const first = gold.map((d) => (before += d.sentences.length) - d.sentences.length);
  let indexes: number[] | undefined;
  forEachSentencePair(gold, pred, opts, (g, p, at, where, documentIndex, _p, scored) => {
    // A sentence unit is one of gold's sentences, which common tokens may join (common-tokens.ts).
    if (unit === 'sentence' && at.sentence === 0) {
      indexes = scored === gold[documentIndex] ? undefined : goldSentenceIndexes(scored, gold[documentIndex]);
      if (scored !== gold[documentIndex] && !indexes)
        throw new UserError(`document '${scored.id}': the predictions' sentences are not gold's (both are scored on sentences joined over the two), so it cannot be resampled by gold sentence: resample by document (--unit document)`, opts.predFile === undefined ? {} : { file: opts.predFile });
    }
    const u = unit === 'document' ? documentIndex : first[documentIndex] + (indexes ? indexes[at.sentence] : at.sentence);
    const [cg, cp] = compactPair(g, p, symmetric, opts, where);
    const [gi, pi] = [criterionItems(cg), criterionItems(cp)];
    for (const m of MEASURES) {
      let tp = 0;
      for (const k of pi[m].keys()) if (gi[m].has(k)) tp++;
      const c = counts[m];
      c[3 * u] += tp;
      c[3 * u + 1] += pi[m].size - tp;
      c[3 * u + 2] += gi[m].size - tp;
    }
  });
  return { unit, units, counts };
}

/** Micro scores of the units listed in `idx` (each as often as listed), or of all units. */
function microOf(c: Int32Array, idx?: Int32Array): TypeScores {
  let tp = 0, fp = 0, fn = 0;
  const n = idx ? idx.length : c.length / 3;
  for (let k = 0; k < n; k++) {
    const u = idx ? idx[k] : k;
    tp += c[3 * u];
    fp += c[3 * u + 1];
    fn += c[3 * u + 2];
  }
  return scores({ tp, fp, fn });
}

/** A resample of n units: n draws with replacement. */
function resample(gen: RandomGenerator, n: number, idx: Int32Array): Int32Array {
  for (let k = 0; k < n; k++) idx[k] = uniformInt(gen, 0, n - 1);
  return idx;
}

/** The middle `confidence` of the values (linear interpolation between order statistics). */
function percentileInterval(values: Float64Array, confidence: number): Interval {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => {
    const x = q * (sorted.length - 1);
    const lo = Math.floor(x);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (x - lo) * (sorted[hi] - sorted[lo]);
  };
  const tail = (1 - confidence) / 2;
  return { low: at(tail), high: at(1 - tail) };
}

function needUnits(units: number, unit: ResampleUnit): void {
  if (units === 0) throw new UserError(`nothing to resample: the gold data has no ${unit}s`);
}

/** Percentile bootstrap intervals of micro P, R and F1 of predictions against gold. */
export function confidenceIntervals(gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions & ResampleOptions = {}): ScoreIntervals {
  checkOptions(opts, 'options', [...EVALUATE_OPTIONS, ...RESAMPLE_OPTIONS]);
  opts ??= {};
  const s = settings(opts);
  const { units, counts } = unitCounts(gold, pred, { ...opts, unit: s.unit });
  needUnits(units, s.unit);
  const gen = seededGenerator(s.seed);
  const idx = new Int32Array(units);
  const step = steps(s.samples, opts.onProgress);
  const drawn = Object.fromEntries(MEASURES.map((m) => [m, { p: new Float64Array(s.samples), r: new Float64Array(s.samples), f1: new Float64Array(s.samples) }])) as Record<Measure, Record<'p' | 'r' | 'f1', Float64Array>>;
  for (let k = 0; k < s.samples; k++) {
    resample(gen, units, idx);
    for (const m of MEASURES) {
      const sc = microOf(counts[m], idx);
      drawn[m].p[k] = sc.p;
      drawn[m].r[k] = sc.r;
      drawn[m].f1[k] = sc.f1;
    }
    step();
  }
  const of = (m: Measure) => ({ p: percentileInterval(drawn[m].p, s.confidence), r: percentileInterval(drawn[m].r, s.confidence), f1: percentileInterval(drawn[m].f1, s.confidence) });
  return {
    unit: s.unit, units, samples: s.samples, seed: s.seed, confidence: s.confidence,
    entities: of('entities'),
    relations: { strict: of('strict'), boundaries: of('boundaries') },
  };
}

/**
 * Each system after the first against the first (the baseline), all scored on the same gold: the micro
 * F1 of both, their difference, its paired bootstrap interval and the approximate randomization p-value.
 * Each comparison draws from its own generator seeded with `seed`, so adding a system changes no other row.
 */
export function compareSystems(gold: readonly Document[], systems: readonly (readonly Document[])[], opts: EvaluateOptions & CompareSystemsOptions = {}): SystemsComparison {
  checkOptions(opts, 'options', [...EVALUATE_OPTIONS, ...RESAMPLE_OPTIONS, 'trials']);
  opts ??= {};
  const unit = opts.unit ?? DEFAULTS.unit;
  const schema = opts.schema ?? schemaFor(gold, systems.flat(), opts);
  return compareCounts(systems.map((pred) => unitCounts(gold, pred, { ...opts, schema, unit })), opts);
}

/** `compareSystems` from each system's unit counts (`unitCounts` of the same gold, with the same unit). */
export function compareCounts(counted: readonly UnitCounts[], opts: CompareSystemsOptions = {}): SystemsComparison {
  if (counted.length < 2) throw new UserError(`a comparison needs at least two systems, not ${counted.length}`);
  const s = settings(opts);
  const { units } = counted[0];
  if (counted.some((c) => c.unit !== s.unit || c.units !== units))
    throw new UserError(`every system's counts must be of the same ${units} gold ${s.unit}s (unitCounts with unit '${s.unit}' on the same gold)`);
  needUnits(units, s.unit);
  const step = steps((counted.length - 1) * (s.samples + s.trials), opts.onProgress);
  const comparisons = counted.slice(1).map((sys, i): SystemComparison => {
    const d = differences(counted[0].counts, sys.counts, s, step);
    return { system: i + 1, entities: d.entities, relations: { strict: d.strict, boundaries: d.boundaries } };
  });
  return {
    unit: s.unit, units, samples: s.samples, seed: s.seed, confidence: s.confidence, trials: s.trials,
    systems: counted.map(({ counts }) => ({ entities: microOf(counts.entities), relations: { strict: microOf(counts.strict), boundaries: microOf(counts.boundaries) } })),
    comparisons,
  };
}

/**
 * F1(system) − F1(baseline), exactly 0 when the two are the same fraction 2tp / (2tp + fp + fn): `scores`
 * divides P and R first, so equal F1s of different counts can differ in the last bit (a "−0.00").
 */
function f1Diff(sys: Counts, base: Counts): number {
  if (sys.tp * (2 * base.tp + base.fp + base.fn) === base.tp * (2 * sys.tp + sys.fp + sys.fn)) return 0;
  return scores(sys).f1 - scores(base).f1;
}

/**
 * Every measure's observed F1 difference, its paired bootstrap interval, and the randomization p-value.
 * A resample and a shuffle serve all measures at once (they move whole units), drawn from one generator
 * seeded with `seed`: all the resamples first, then the shuffles.
 */
function differences(base: UnitCounts['counts'], sys: UnitCounts['counts'], s: { samples: number; trials: number; confidence: number; seed: number }, step: Step): Record<Measure, Difference> {
  const gen = seededGenerator(s.seed);
  const units = base.entities.length / 3;
  const idx = new Int32Array(units);
  const diffs = Object.fromEntries(MEASURES.map((m) => [m, new Float64Array(s.samples)])) as Record<Measure, Float64Array>;
  for (let k = 0; k < s.samples; k++) {
    resample(gen, units, idx);
    for (const m of MEASURES) diffs[m][k] = f1Diff(microOf(sys[m], idx), microOf(base[m], idx));
    step();
  }
  const p = randomizationP(base, sys, s.trials, gen, step);
  return Object.fromEntries(MEASURES.map((m) => {
    const [b, y] = [microOf(base[m]), microOf(sys[m])];
    return [m, { baseline: b.f1, system: y.f1, diff: f1Diff(y, b), interval: percentileInterval(diffs[m], s.confidence), p: p[m] }];
  })) as Record<Measure, Difference>;
}

/**
 * Approximate randomization, two-sided, for every measure. Swapping a unit both systems score alike
 * changes nothing, so only the units where they differ are shuffled: a swap moves that unit's
 * difference (system − baseline) from the system's totals to the baseline's. One draw of the generator
 * flips the coins of 32 units.
 */
function randomizationP(base: UnitCounts['counts'], sys: UnitCounts['counts'], trials: number, gen: RandomGenerator, step: Step): Record<Measure, number> {
  const units = base.entities.length / 3;
  // F1 = 2tp / (2tp + fp + fn) needs only tp and fp + fn: of each measure, in MEASURES order.
  const f1 = (tp: number, errors: number) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + errors));
  const delta: number[] = [];
  for (let u = 0; u < units; u++) {
    const d = MEASURES.flatMap((m) => {
      const [b, y] = [base[m], sys[m]];
      return [y[3 * u] - b[3 * u], y[3 * u + 1] + y[3 * u + 2] - b[3 * u + 1] - b[3 * u + 2]];
    });
    if (d.some((x) => x !== 0)) delta.push(...d);
  }
  const deltas = Int32Array.from(delta);
  const differing = deltas.length / 6;
  const totals = MEASURES.map((m) => {
    const [b, y] = [microOf(base[m]), microOf(sys[m])];
    return { tpB: b.tp, errB: b.fp + b.fn, tpY: y.tp, errY: y.fp + y.fn };
  });
  // Floating-point slack, so that a shuffle whose difference equals the observed one counts as reaching it.
  const reach = totals.map((t) => Math.abs(f1(t.tpY, t.errY) - f1(t.tpB, t.errB)) - 1e-12);
  const hits = [0, 0, 0];
  for (let k = 0; k < trials; k++) {
    let t0 = 0, e0 = 0, t1 = 0, e1 = 0, t2 = 0, e2 = 0;
    for (let i = 0; i < differing; i += 32) {
      let bits = gen.next();
      for (let u = i, end = Math.min(differing, i + 32); u < end; u++, bits >>>= 1) {
        // Without a branch: a coin flip is what a CPU cannot predict.
        const w = bits & 1, o = 6 * u;
        t0 += w * deltas[o]; e0 += w * deltas[o + 1];
        t1 += w * deltas[o + 2]; e1 += w * deltas[o + 3];
        t2 += w * deltas[o + 4]; e2 += w * deltas[o + 5];
      }
    }
    const moved = [[t0, e0], [t1, e1], [t2, e2]];
    totals.forEach((t, mi) => {
      const [tp, err] = moved[mi];
      if (Math.abs(f1(t.tpY - tp, t.errY - err) - f1(t.tpB + tp, t.errB + err)) >= reach[mi]) hits[mi]++;
    });
    step();
  }
  return Object.fromEntries(MEASURES.map((m, mi) => [m, (hits[mi] + 1) / (trials + 1)])) as Record<Measure, number>;
}
