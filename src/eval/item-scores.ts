/** The model's scores of a corpus's predicted items, for the analyses that need them (thresholds, calibration). */
import type { Document } from '../data/corpus.js';
import { UserError } from '../errors.js';

/** A score per predicted item: `scores[d][s][i]` for entity or relation i of sentence s of document d. */
export type ItemScores = readonly (readonly (readonly number[])[])[];

/** Both kinds, as a model run gives them (a vote of several models has none). */
export interface PredictionScores {
  entities: ItemScores;
  relations: ItemScores;
}

/** Refuses scores that do not fit the predictions item for item. */
export function checkScores(pred: readonly Document[], scores: ItemScores, kind: 'entities' | 'relations'): void {
  pred.forEach((d, di) =>
    d.sentences.forEach((s, si) => {
      const n = s[kind].length;
      if (scores[di]?.[si]?.length !== n)
        throw new UserError(`document '${d.id}', sentence ${si}: ${n} ${kind} but ${scores[di]?.[si]?.length ?? 0} scores`);
    }),
  );
}
