/**
 * Strict relation P/R/F1 over a range of relation thresholds: what `relationThreshold` (extraction's
 * `--threshold`) would give on annotated data, so that a user can pick the precision they need, on dev
 * data, before extracting. Not in the paper.
 */
import type { Document } from '../data/corpus.js';
import { Diagnostics } from '../data/diagnostics.js';
import { UserError } from '../errors.js';
import { checkScores, type ItemScores } from './item-scores.js';
import { evaluate, type EvaluateOptions } from './evaluate.js';
import { alignRows, percent } from './table.js';

export interface ThresholdRow {
  threshold: number;
  /** Predicted relations kept (scored at least the threshold). */
  relations: number;
  p: number;
  r: number;
  f1: number;
}

/** 0, 0.1, …, 0.9: `evaluate --thresholds` without a list. */
export const DEFAULT_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => i / 10);

export function thresholdSweep(
  gold: readonly Document[],
  pred: readonly Document[],
  scores: ItemScores,
  thresholds: readonly number[] = DEFAULT_THRESHOLDS,
  opts: EvaluateOptions = {},
): ThresholdRow[] {
  for (const t of thresholds) if (!(t >= 0 && t <= 1)) throw new UserError(`a relation threshold must be a number in [0, 1], not ${t}`);
  checkScores(pred, scores, 'relations');
  return [...thresholds].sort((a, b) => a - b).map((threshold) => {
    let kept = 0;
    const filtered = pred.map((d, di) => ({
      ...d,
      sentences: d.sentences.map((s, si) => {
        const relations = s.relations.filter((_, i) => scores[di][si][i] >= threshold);
        kept += relations.length;
        return { ...s, relations };
      }),
    }));
    // The report's own pass warns about the predictions; these passes would only repeat it.
    const { p, r, f1 } = evaluate(gold, filtered, { ...opts, diagnostics: new Diagnostics() }).relations.strict.micro;
    return { threshold, relations: kept, p, r, f1 };
  });
}

/** The sweep as a table, with the threshold of the best F1 (to be chosen on dev data). */
export function formatThresholds(rows: readonly ThresholdRow[]): string {
  const header = ['threshold', 'relations', 'P', 'R', 'F1'];
  const cells = [header, ...rows.map((r) => [r.threshold.toFixed(2), String(r.relations), percent(r.p), percent(r.r), percent(r.f1)])];
  const lines = alignRows(cells);
  const best = rows.reduce((a, b) => (b.f1 > a.f1 ? b : a), rows[0]);
  return [
    'Relation threshold (strict relations; extraction keeps relations scored at least the threshold: relationThreshold, --threshold)',
    ...lines,
    `Best F1 ${percent(best.f1)} at ${best.threshold.toFixed(2)}: choose the threshold on dev data, not on the data you report.`,
  ].join('\n') + '\n';
}
