/**
 * Are the scores probabilities? Predicted entities and relations grouped by score into ten bins of width
 * 0.1: in a calibrated model the items scored about 0.8 are right about 80 % of the time (right: strict
 * scoring's match, an exact span and type; a relation's arguments, type and direction). The expected
 * calibration error (ECE; Naeini et al. 2015) is the items' weighted mean of |mean score − precision| over
 * the bins. Not in the paper.
 */
import type { Document } from '../data/corpus.js';
import { Diagnostics } from '../data/diagnostics.js';
import { forEachSentencePair, schemaFor, type EvaluateOptions } from './evaluate.js';
import { checkScores, type PredictionScores } from './item-scores.js';
import { compactPair, criterionItems } from './scorer.js';
import { alignRows } from './table.js';

interface CalibrationBin {
  /** Scores in [low, high); the last bin includes 1. */
  low: number;
  high: number;
  items: number;
  meanScore: number;
  /** Share of the bin's items that are right (0 for an empty bin). */
  precision: number;
}

interface Calibration {
  bins: CalibrationBin[];
  /** Expected calibration error, in [0, 1]. */
  ece: number;
  items: number;
}

export interface CalibrationReport {
  entities: Calibration;
  relations: Calibration;
}

const BINS = 10;

/** Bins of the predicted items' scores against whether strict scoring counts them right. */
export function calibration(gold: readonly Document[], pred: readonly Document[], scores: PredictionScores, opts: EvaluateOptions = {}): CalibrationReport {
  const items = scoredItems(gold, pred, scores, opts);
  return { entities: binned(items.entities), relations: binned(items.relations) };
}

/** Every predicted entity and relation as [its score, whether strict scoring counts it right]. */
export function scoredItems(
  gold: readonly Document[],
  pred: readonly Document[],
  scores: PredictionScores,
  opts: EvaluateOptions = {},
): { entities: [number, boolean][]; relations: [number, boolean][] } {
  checkScores(pred, scores.entities, 'entities');
  checkScores(pred, scores.relations, 'relations');
  const schema = schemaFor(gold, pred, opts);
  const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const seen = { entities: [] as [number, boolean][], relations: [] as [number, boolean][] };
  // The scores follow the predicted documents' order, which pairing with gold may not keep.
  const predIndex = new Map(pred.map((d, i) => [d, i]));
  forEachSentencePair(gold, pred, { ...opts, diagnostics: opts.diagnostics ?? new Diagnostics() }, (g, p, at, where, _gi, doc) => {
    if (!doc) return; // no prediction: nothing scored
    const [di, si] = [predIndex.get(doc)!, at.sentence];
    const [cg, cp] = compactPair(g, p, symmetric, opts, where);
    const goldItems = criterionItems(cg);
    cp.entities.forEach((e, i) => seen.entities.push([scores.entities[di][si][i], goldItems.entities.has(JSON.stringify([...e]))]));
    cp.relations.forEach((r, i) => seen.relations.push([scores.relations[di][si][i], goldItems.strict.has(JSON.stringify([...r]))]));
  }, false);
  return seen;
}

function binned(items: readonly [score: number, right: boolean][]): Calibration {
  const bins = Array.from({ length: BINS }, (_, b) => ({ low: b / BINS, high: (b + 1) / BINS, items: 0, sum: 0, right: 0 }));
  for (const [score, right] of items) {
    const b = bins[Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)))];
    b.items++;
    b.sum += score;
    if (right) b.right++;
  }
  const out = bins.map((b) => ({ low: b.low, high: b.high, items: b.items, meanScore: b.items ? b.sum / b.items : 0, precision: b.items ? b.right / b.items : 0 }));
  const n = items.length;
  const ece = n === 0 ? 0 : out.reduce((a, b) => a + (b.items / n) * Math.abs(b.meanScore - b.precision), 0);
  return { bins: out, ece, items: n };
}

/** The bins that hold items, entities and relations side by side, and each ECE. */
export function formatCalibration(c: CalibrationReport): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  const rows = [['score', 'entities', 'mean score', 'right %', 'relations', 'mean score', 'right %']];
  c.entities.bins.forEach((e, b) => {
    const r = c.relations.bins[b];
    if (e.items + r.items === 0) return;
    const cell = (x: CalibrationBin) => (x.items ? [String(x.items), pct(x.meanScore), pct(x.precision)] : ['0', '', '']);
    rows.push([`${e.low.toFixed(1)}–${e.high.toFixed(1)}`, ...cell(e), ...cell(r)]);
  });
  return [
    'Calibration (strict: are the items scored about 0.8 right about 80 % of the time?)',
    ...alignRows(rows),
    `Expected calibration error: entities ${pct(c.entities.ece)} points over ${c.entities.items}, relations ${pct(c.relations.ece)} over ${c.relations.items}.`,
  ].join('\n') + '\n';
}
