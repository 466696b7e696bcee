/**
 * Algorithm 1 of the paper, the entity half: draw distinct tag sequences t′ for the sample set Y′(s).
 * Pure JS over the (detached) tag distribution P_ent(· | s) — sampling happens outside the gradient;
 * the probabilities of the drawn outputs are recomputed differentiably afterwards (objective.ts).
 */
import type { Rng } from '../../model/types.js';

export interface TagSamplingOptions {
  /** Number of distinct samples wanted besides the gold sequence. */
  count: number;
  /** Footnote 5's ε-greedy: each tag is uniform with probability ε, else drawn from P_ent (0.1). */
  epsilon: number;
  /** Bound on draws per sentence: a short, confidently tagged sentence may have fewer distinct outputs. */
  maxDraws: number;
}

/** Draws an index from the categorical `p[off .. off+n)` (sums to 1 up to rounding). */
export function drawCategorical(p: ArrayLike<number>, off: number, n: number, rng: Rng): number {
  let u = rng.random();
  for (let j = 0; j < n - 1; j++) {
    u -= p[off + j];
    if (u < 0) return j;
  }
  return n - 1;
}

/**
 * Y′(s) \ {y}: up to `count` tag sequences, distinct from the gold one and from each other (sampling
 * without replacement, lines 2–16; a duplicate is redrawn until `maxDraws` draws are spent).
 * `probs` holds P_ent row-major [n, numTags] for the sentence's n tokens.
 */
export function sampleTagSequences(
  probs: ArrayLike<number>,
  numTags: number,
  gold: ArrayLike<number>,
  rng: Rng,
  opts: TagSamplingOptions,
): Int32Array[] {
  const n = gold.length;
  const seen = new Set<string>([Array.prototype.join.call(gold, ',')]);
  const out: Int32Array[] = [];
  for (let draw = 0; draw < opts.maxDraws && out.length < opts.count; draw++) {
    const t = new Int32Array(n);
    for (let i = 0; i < n; i++)
      // line 5: t′_i ∼ P_ent with probability 1 − ε; line 6: uniform with probability ε
      t[i] = rng.random() < opts.epsilon ? Math.floor(rng.random() * numTags) : drawCategorical(probs, i * numTags, numTags, rng);
    const key = t.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}
