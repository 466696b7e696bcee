/**
 * Learning-rate schedules (not in the paper; both off by default), multiplied together:
 * - on a dev plateau (`lrDecay` < 1): after `lrPatience` epochs without a better dev score the rate is
 *   multiplied by `lrDecay`, and the count starts again;
 * - over time (`lrTimeDecay` ρ > 0): the rate of epoch e (0-based) is lr / (1 + ρ·e), Ma & Hovy (2016)'s
 *   schedule for their BiLSTM-CNN-CRF tagger (ρ = 0.05).
 * The factor is a pure function of the epochs' history (their count and `best` flags), so a resumed run,
 * whose checkpoint holds that history, continues with exactly the rate it had.
 */
import type { EpochRecord } from './log.js';

interface DecaySettings {
  lrDecay: number;
  lrPatience: number;
  lrTimeDecay: number;
}

/** Whether either schedule is on (the epoch records then carry the factor). */
export const scheduled = (s: DecaySettings): boolean => s.lrDecay < 1 || s.lrTimeDecay > 0;

/** The factor on the configured learning rate for the epoch after `history`. */
export function lrScale(history: readonly Pick<EpochRecord, 'best' | 'dev'>[], s: DecaySettings): number {
  return plateauScale(history, s) / (1 + s.lrTimeDecay * history.length);
}

function plateauScale(history: readonly Pick<EpochRecord, 'best' | 'dev'>[], s: DecaySettings): number {
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
