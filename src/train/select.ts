/**
 * Model selection (config `select`): which dev scores make a better model than the best so far. The
 * selection score decides; a tie is broken on the other score, so that a run whose relation F1 stays 0
 * (a small corpus: relations come after entities, and may not come at all) keeps the epoch that finds the
 * most entities, not the untrained model of epoch 1. Patience does not count while the score is 0
 * (loop.ts), so tie-breaks at 0 only choose among models, they never stop a run.
 */
import type { TrainConfig } from './config-schema.js';
import { percent } from '../eval/table.js';

/** Dev micro F1 of entities and of strict relations. */
export interface DevScores {
  entF1: number;
  relF1: number;
}

/** The dev score that selects the model (config `select`). */
export function selectionScore(dev: DevScores, select: TrainConfig['select']): number {
  return select === 'relation' ? dev.relF1 : (dev.entF1 + dev.relF1) / 2;
}

/** The score that breaks a tie of selection scores: entity F1 under "relation", relation F1 (the paper's target) under "entity+relation". */
function tieBreak(dev: DevScores, select: TrainConfig['select']): number {
  return select === 'relation' ? dev.entF1 : dev.relF1;
}

/** The best model so far: its selection score (−1 before any) and, where known, its dev scores (for the tie-break). */
interface BestSoFar {
  score: number;
  dev?: DevScores;
}

/** Whether `dev` selects a better model than the best so far: a higher selection score, or the same and a higher tie-break. */
export function isBetter(dev: DevScores, best: BestSoFar, select: TrainConfig['select']): boolean {
  const score = selectionScore(dev, select);
  if (score !== best.score) return score > best.score;
  return best.dev !== undefined && tieBreak(dev, select) > tieBreak(best.dev, select);
}

/**
 * What to say at the end of a run whose selection score was 0 in every dev evaluation: best/ then holds a
 * model that finds no relation a strict scorer counts right (or nothing at all), and the summary line alone
 * does not say why. `best` holds best/'s dev scores and `epoch` its epoch.
 */
export function zeroScoreWarning(best: DevScores, epoch: number, select: TrainConfig['select']): string {
  const more = 'train on more data or for more epochs';
  if (select === 'relation' && best.entF1 > 0)
    return `dev strict relation F1 was 0 in every epoch, so best/ holds epoch ${epoch}'s model, chosen on its entity F1 (${percent(best.entF1)}), and it finds no relation right; ${more}, or select on both scores (--set select=entity+relation)`;
  const scores = select === 'relation' ? 'dev strict relation F1 and entity F1 were' : 'dev entity and strict relation F1 were';
  return `${scores} 0 in every epoch, so best/ holds epoch ${epoch}'s model, which finds nothing right; ${more}, and check that the data's annotations are read (entrel stats)`;
}
