/**
 * Calibrated scores (not in the paper): the model's probabilities are overconfident for relations
 * (README, Evaluation → Calibration), so `entrel calibrate` fits, on dev data, a map from a score to the
 * share of items with that score that strict scoring counts right — isotonic regression (the pool
 * adjacent violators algorithm; Zadrozny & Elkan 2002), one map for entities and one for relations — and
 * stores it in the model's `meta.calibration`. Extraction and evaluation then report mapped scores; the
 * map never decreases, so it changes no prediction and no ranking, only what a score means (and so what a
 * relation threshold keeps).
 */
import { UserError } from '../errors.js';
import type { SentencePrediction } from './types.js';

/** Breakpoints of a non-decreasing map: score `x[i]` ↦ `y[i]`, linear in between, constant outside. */
interface ScoreMap {
  x: number[];
  y: number[];
}

export interface ScoreMaps {
  entities: ScoreMap;
  relations: ScoreMap;
  /** The data the maps were fitted on (a file name), for the model card. */
  fittedOn?: string;
}

/**
 * Isotonic regression of `right` (0 or 1) on `score`: the non-decreasing step function closest to the
 * points in squared error, as breakpoints at the mean score of each of its blocks.
 */
export function fitScoreMap(points: readonly (readonly [score: number, right: boolean])[]): ScoreMap {
  if (points.length === 0) return { x: [0, 1], y: [0, 1] }; // nothing to learn from: the identity
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  // Items of equal score are one point of the fit, weighted by their number: one score maps to one value
  // (the share of them right), whatever order they came in.
  const ties: [score: number, rights: number, count: number][] = [];
  for (const [score, right] of sorted) {
    const last = ties[ties.length - 1];
    if (last?.[0] !== score) ties.push([score, right ? 1 : 0, 1]);
    else {
      last[1] += right ? 1 : 0;
      last[2]++;
    }
  }
  // Blocks of [sum of scores, sum of rights, count, the one score of a block of ties], merged while a
  // block's mean exceeds the next one's.
  const blocks: [number, number, number, number | undefined][] = [];
  for (const [score, rights, count] of ties) {
    blocks.push([score * count, rights, count, score]);
    while (blocks.length > 1) {
      const [a, b] = [blocks[blocks.length - 2], blocks[blocks.length - 1]];
      if (a[1] / a[2] < b[1] / b[2]) break;
      blocks.splice(-2, 2, [a[0] + b[0], a[1] + b[1], a[2] + b[2], undefined]);
    }
  }
  // A block of one score breaks at that very score (a sum of copies divided back can miss it by an ulp).
  return { x: blocks.map((b) => b[3] ?? b[0] / b[2]), y: blocks.map((b) => b[1] / b[2]) };
}

export function applyScoreMap(map: ScoreMap, score: number): number {
  const { x, y } = map;
  if (score <= x[0]) return y[0];
  if (score >= x[x.length - 1]) return y[y.length - 1];
  let hi = 1;
  while (x[hi] < score) hi++;
  const lo = hi - 1;
  return x[hi] === x[lo] ? y[hi] : y[lo] + ((score - x[lo]) / (x[hi] - x[lo])) * (y[hi] - y[lo]);
}

/**
 * The predictions with their entities' and relations' scores mapped. `givenEntities(i)` says that sentence
 * i's entities were given, not predicted: they keep the tagger's own probability, as the map was fitted on
 * predicted entities and would lift one the tagger rejects to the lowest score it saw there.
 */
export function mapScores(preds: readonly SentencePrediction[], maps: ScoreMaps, givenEntities: (i: number) => boolean = () => false): SentencePrediction[] {
  return preds.map((p, i) => ({
    ...p,
    entities: givenEntities(i) ? p.entities : p.entities.map((e) => ({ ...e, score: applyScoreMap(maps.entities, e.score) })),
    relations: p.relations.map((r) => ({ ...r, score: applyScoreMap(maps.relations, r.score) })),
  }));
}

/** `meta.calibration` of a model directory, checked (undefined when the model has none). */
export function readScoreMaps(meta: Record<string, unknown>, file: string): ScoreMaps | undefined {
  const c = meta.calibration;
  if (c === undefined) return undefined;
  const fail = (field: string, why: string): never => {
    throw new UserError(why, { file, field: `meta.calibration${field}` });
  };
  if (!c || typeof c !== 'object') fail('', 'must be an object {entities, relations} (written by `entrel calibrate`)');
  const o = c as Record<string, unknown>;
  const map = (kind: 'entities' | 'relations'): ScoreMap => {
    const m = o[kind] as Record<string, unknown> | undefined;
    const ok = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number' && n >= 0 && n <= 1);
    if (!m || !ok(m.x) || !ok(m.y) || m.x.length !== m.y.length) return fail(`.${kind}`, 'must be {x, y}: two lists of the same length of numbers in [0, 1]');
    const { x, y } = m as unknown as ScoreMap;
    if (x.some((v, i) => i > 0 && v < x[i - 1]) || y.some((v, i) => i > 0 && v < y[i - 1])) fail(`.${kind}`, 'x and y must not decrease');
    return { x, y };
  };
  return { entities: map('entities'), relations: map('relations'), ...(typeof o.fittedOn === 'string' && { fittedOn: o.fittedOn }) };
}
