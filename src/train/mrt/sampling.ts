/**
 * Algorithm 1 of the paper, the entity half: draw distinct tag sequences t′ for the sample set Y′(s).
 * Pure JS over the (detached) tag distribution P_ent(· | s) — sampling happens outside the gradient;
 * the probabilities of the drawn outputs are recomputed differentiably afterwards (objective.ts).
 */
import { kBestTags } from '../../data/kbest.js';
import { chainForward, type ChainScores, type TagGrammar } from '../../data/viterbi.js';
import type { Rng } from '../../model/types.js';

/**
 * How Y′(s) is drawn: Algorithm 1's token-by-token draws (the paper), or one of the alternatives that
 * config `mrt.sampler` and a CRF tagger select (see `drawMembers` in objective.ts).
 *   - tokens: each tag on its own from footnote 5's ε-mixture;
 *   - chunkings: the same mixture conditioned on a valid chunking under `grammar`;
 *   - crf: draws from a CRF tagger (`probs` then holds its emissions, `chain` its transitions);
 *   - kbest: no draws, the `count` best valid chunkings other than gold (under the CRF if `chain` is given).
 */
export type TagSampler =
  | { kind: 'tokens' }
  | { kind: 'chunkings'; grammar: TagGrammar }
  | { kind: 'crf'; grammar: TagGrammar; chain: ChainScores }
  | { kind: 'kbest'; grammar: TagGrammar; chain?: ChainScores };

interface TagSamplingOptions {
  /** Number of distinct samples wanted besides the gold sequence. */
  count: number;
  /** Footnote 5's ε-greedy: each tag is uniform with probability ε, else drawn from P_ent (0.1). */
  epsilon: number;
  /** Bound on draws per sentence: a short, confidently tagged sentence may have fewer distinct outputs. */
  maxDraws: number;
  /** Default: `{ kind: 'tokens' }`, Algorithm 1. */
  sampler?: TagSampler;
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
  const goldKey = Array.prototype.join.call(gold, ',');
  const sampler = opts.sampler ?? { kind: 'tokens' };
  if (sampler.kind === 'kbest') return bestOthers(probs, n, goldKey, opts.count, sampler.grammar, sampler.chain);
  const draw = drawer(probs, n, numTags, sampler);
  const seen = new Set<string>([goldKey]);
  const out: Int32Array[] = [];
  for (let d = 0; d < opts.maxDraws && out.length < opts.count; d++) {
    const t = draw(opts.epsilon, rng);
    const key = t.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** One draw of a whole tag sequence for the sentence, by the sampler's kind. */
function drawer(probs: ArrayLike<number>, n: number, numTags: number, sampler: Exclude<TagSampler, { kind: 'kbest' }>): (epsilon: number, rng: Rng) => Int32Array {
  switch (sampler.kind) {
    case 'tokens':
      return (epsilon, rng) => drawTokens(probs, n, numTags, epsilon, rng);
    case 'chunkings':
      return (epsilon, rng) => drawValidChunking(probs, n, sampler.grammar, epsilon, rng);
    case 'crf':
      return crfSampler(probs, n, sampler.grammar, sampler.chain);
  }
}

/**
 * Not in the paper: instead of Algorithm 1's draws, the `count` most probable valid chunkings that are not
 * the gold one (list Viterbi, data/kbest.ts), under P_ent or under the CRF (`chain`; `probs` then holds
 * its emissions). Risk training on the model's own best competitors rather than on random draws is what
 * Edunov et al. (2018) found to work best for sequence-level risk; on a fitted training set these are the
 * near misses (one boundary or type off) that ε-greedy draws rarely hit. No ε, no randomness.
 */
function bestOthers(probs: ArrayLike<number>, n: number, goldKey: string, count: number, g: TagGrammar, chain?: ChainScores): Int32Array[] {
  const logp = chain ? probs : Float64Array.from({ length: n * g.n }, (_, k) => Math.log(probs[k]));
  return kBestTags(logp, 0, n, g, count + 1, chain)
    .map((b) => b.tags)
    .filter((t) => t.join(',') !== goldKey)
    .slice(0, count);
}

/** Lines 5–6: each tag t′_i ∼ P_ent with probability 1 − ε, uniform with probability ε. */
function drawTokens(probs: ArrayLike<number>, n: number, numTags: number, epsilon: number, rng: Rng): Int32Array {
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++)
    t[i] = rng.random() < epsilon ? Math.floor(rng.random() * numTags) : drawCategorical(probs, i * numTags, numTags, rng);
  return t;
}

/**
 * Not in the paper. Lines 5–6 draw each tag from the mixture w_i = (1 − ε)·P_ent(· | s) + ε/|tags|, and
 * most draws are then invalid sequences (an I or L with no B, a B never closed) that the chunker turns
 * into spurious entities: easy negatives the model already rules out, so Q leaves them almost no mass.
 * This draws from the same mixture conditioned on a valid chunking,
 *   P(t) ∝ Π_i w_i(t_i) · [t is a valid BILOU sequence],
 * exactly, by forward filtering and backward sampling over the grammar's allowed predecessors (viterbi.ts).
 * `probs` holds P_ent row-major [n, g.n].
 */
export function drawValidChunking(probs: ArrayLike<number>, n: number, g: TagGrammar, epsilon: number, rng: Rng): Int32Array {
  const k = g.n;
  const t = new Int32Array(n);
  if (n === 0) return t;
  const w = (i: number, j: number) => (1 - epsilon) * probs[i * k + j] + epsilon / k;
  // fwd[i·k + j] ∝ the total weight of valid prefixes t_0..t_i ending in tag j (normalised per row).
  const fwd = new Float64Array(n * k);
  for (let j = 0; j < k; j++) fwd[j] = g.first[j] ? w(0, j) : 0;
  normalise(fwd, 0, k);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let into = 0;
      for (let q = g.beforeStart[j]; q < g.beforeStart[j + 1]; q++) into += fwd[(i - 1) * k + g.before[q]];
      fwd[i * k + j] = into * w(i, j);
    }
    normalise(fwd, i * k, k);
  }
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) weights[j] = g.last[j] ? fwd[(n - 1) * k + j] : 0;
  t[n - 1] = drawUnnormalised(weights, rng);
  for (let i = n - 2; i >= 0; i--) {
    weights.fill(0);
    for (let q = g.beforeStart[t[i + 1]]; q < g.beforeStart[t[i + 1] + 1]; q++) weights[g.before[q]] = fwd[i * k + g.before[q]];
    t[i] = drawUnnormalised(weights, rng);
  }
  return t;
}

/**
 * Not in the paper: Algorithm 1's draw for a CRF tagger (`model.tagger = 'crf'`), whose P(E′ | s) is one
 * distribution over valid chunkings, not independent tags. Forward filtering once per sentence, then per
 * draw backward sampling of t_(n−1), …, t_0 from P(t_i | t_(i+1), s), which gives exact samples of the CRF;
 * footnote 5's exploration becomes: each step takes, with probability ε, a uniformly drawn tag among those
 * the chunking still allows there. `em` holds the emissions row-major [n, g.n].
 */
export function crfSampler(em: ArrayLike<number>, n: number, g: TagGrammar, chain: ChainScores): (epsilon: number, rng: Rng) => Int32Array {
  const k = g.n;
  const alpha = chainForward(em, 0, n, g, chain);
  // Buffers reused by every step of every draw (one step per token).
  const logw = new Float64Array(k);
  const allowed = new Int32Array(k);
  const w = new Float64Array(k);
  /** Draws a tag with weights exp(logw) (−∞ = not allowed), or uniformly among the allowed ones with probability ε. */
  const pick = (epsilon: number, rng: Rng): number => {
    let count = 0;
    let max = -Infinity;
    for (let j = 0; j < k; j++)
      if (logw[j] > -Infinity) {
        allowed[count++] = j;
        max = Math.max(max, logw[j]);
      }
    if (rng.random() < epsilon) return allowed[Math.floor(rng.random() * count)];
    w.fill(0);
    for (let c = 0; c < count; c++) w[allowed[c]] = Math.exp(logw[allowed[c]] - max);
    return drawUnnormalised(w, rng);
  };
  return (epsilon, rng) => {
    const t = new Int32Array(n);
    if (n === 0) return t;
    for (let j = 0; j < k; j++) logw[j] = g.last[j] ? alpha[(n - 1) * k + j] + chain.end[j] : -Infinity;
    t[n - 1] = pick(epsilon, rng);
    for (let i = n - 2; i >= 0; i--) {
      logw.fill(-Infinity);
      const next = t[i + 1];
      for (let q = g.beforeStart[next]; q < g.beforeStart[next + 1]; q++) {
        const j = g.before[q];
        logw[j] = alpha[i * k + j] + chain.trans[j * k + next];
      }
      t[i] = pick(epsilon, rng);
    }
    return t;
  };
}

function normalise(x: Float64Array, off: number, n: number): void {
  let z = 0;
  for (let j = 0; j < n; j++) z += x[off + j];
  for (let j = 0; j < n; j++) x[off + j] /= z;
}

function drawUnnormalised(w: Float64Array, rng: Rng): number {
  let z = 0;
  for (const x of w) z += x;
  let u = rng.random() * z;
  let last = 0;
  for (let j = 0; j < w.length; j++) {
    if (w[j] === 0) continue;
    last = j;
    u -= w[j];
    if (u < 0) return j;
  }
  return last;
}
