/**
 * What `--paper-compat` does to the gold side (entities lost to tag overwriting, the chunks it leaves,
 * relations skipped), said as counted warnings about the gold file: the authors' evaluator drops them
 * without a word, and a score against them is of an easier or harder task than the data's.
 */
import type { Document } from '../../data/corpus.js';
import { paperCompatChanges, type PaperCompatChanges } from '../../eval/index.js';
import { printWarnings } from '../output.js';

export type PaperCompatCounts = Omit<PaperCompatChanges, 'diagnostics'>;

export function reportPaperCompat(gold: readonly Document[], file: string): PaperCompatCounts {
  const { diagnostics, ...counts } = paperCompatChanges(gold);
  printWarnings(diagnostics, file);
  return counts;
}
