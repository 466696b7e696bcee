/**
 * Per-sentence reward for MRT (reference spec §4.3): strict criterion, F = 1 when tp = fp = fn = 0.
 * Runs once per sample in training, so it allocates nothing: sets are compared by nested loops over
 * the compact tuples (sentences hold tens of entities, so O(n·m) beats hashing them into strings).
 */
import type { CompactSentence, Label } from './compact.js';

type Tuple = readonly Label[];

function equal(a: Tuple, b: Tuple): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function indexOf(list: readonly Tuple[], x: Tuple, before: number): number {
  for (let j = 0; j < before; j++) if (equal(list[j], x)) return j;
  return -1;
}

/** Set F1 of two tuple lists (duplicates count once): 2·tp / (|gold| + |pred|), 1 when both are empty. */
export function setF1(gold: readonly Tuple[], pred: readonly Tuple[]): number {
  let g = 0;
  let p = 0;
  let tp = 0;
  for (let i = 0; i < gold.length; i++) if (indexOf(gold, gold[i], i) === -1) g++;
  for (let i = 0; i < pred.length; i++) {
    if (indexOf(pred, pred[i], i) !== -1) continue;
    p++;
    if (indexOf(gold, pred[i], gold.length) !== -1) tp++;
  }
  return g + p === 0 ? 1 : (2 * tp) / (g + p);
}

/**
 * MRT costs (spec §3.3 / §7.2 `delta ∈ {E, R, E+R}`): 1 − the sentence's entity F1, strict relation F1, or
 * their mean. Symmetric relations must already be canonical.
 */
export const deltaE = (gold: CompactSentence, pred: CompactSentence): number => 1 - setF1(gold.entities, pred.entities);
export const deltaR = (gold: CompactSentence, pred: CompactSentence): number => 1 - setF1(gold.relations, pred.relations);
export const deltaER = (gold: CompactSentence, pred: CompactSentence): number =>
  1 - (setF1(gold.entities, pred.entities) + setF1(gold.relations, pred.relations)) / 2;
