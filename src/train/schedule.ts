/**
 * Learning-rate decay on a dev plateau (not in the paper; `lrDecay` = 1 turns it off): after
 * `lrPatience` epochs without a better dev score the rate is multiplied by `lrDecay`, and the count
 * starts again. The factor is a pure function of the epochs' `best` flags, so a resumed run, whose
 * checkpoint holds that history, continues with exactly the rate it had.
 */
import type { EpochRecord } from './log.js';

export interface DecaySettings {
  lrDecay: number;
  lrPatience: number;
}

/** The factor on the configured learning rate for the epoch after `history`. */
export function lrScale(history: readonly Pick<EpochRecord, 'best' | 'dev'>[], s: DecaySettings): number {
  if (s.lrDecay === 1) return 1;
  let learning = false; // like early stopping: epochs on the all-O plateau (dev 0) do not count
  let since = 0;
  let decays = 0;
  for (const r of history) {
    learning ||= r.dev.relF1 > 0 || r.dev.entF1 > 0;
    if (!learning || r.best) {
      since = 0;
      continue;
    }
    if (++since >= s.lrPatience) {
      decays++;
      since = 0;
    }
  }
  return s.lrDecay ** decays;
}
