/**
 * The N best valid chunkings of a sentence, exactly: list Viterbi (Viterbi that keeps the N best partial
 * sequences per token and tag instead of one). Scores as in `viterbiTags`: Σ_i logp_i(t_i) under
 * independent tags, or the CRF's start + emissions + transitions + end with `chain`; only sequences the
 * grammar allows. Used by MRT's `kbest` sampler (src/train/mrt/sampling.ts).
 */
import type { ChainScores, TagGrammar } from './viterbi.js';

/** The best `N` valid tag sequences, best first (fewer when the sentence has fewer), with their scores. */
export function kBestTags(logp: ArrayLike<number>, offset: number, length: number, g: TagGrammar, N: number, chain?: ChainScores): { tags: Int32Array; score: number }[] {
  const { n, before, beforeStart } = g;
  if (N <= 0) return [];
  if (length === 0) return [{ tags: new Int32Array(0), score: 0 }];
  // Entry (t, j, r): the r-th best valid prefix t_0..t_t ending in tag j — its score, and the tag and
  // rank of its prefix at t − 1. count[t·n + j] ≤ N entries, ranked best first.
  const score = new Float64Array(length * n * N).fill(-Infinity);
  const prevTag = new Int32Array(length * n * N);
  const prevRank = new Int32Array(length * n * N);
  const count = new Int32Array(length * n);
  const at = (t: number, j: number, r: number) => (t * n + j) * N + r;
  for (let j = 0; j < n; j++)
    if (g.first[j]) {
      score[at(0, j, 0)] = logp[offset + j] + (chain ? chain.start[j] : 0);
      count[j] = 1;
    }
  const cand: { s: number; i: number; r: number }[] = [];
  for (let t = 1; t < length; t++)
    for (let j = 0; j < n; j++) {
      cand.length = 0;
      for (let q = beforeStart[j]; q < beforeStart[j + 1]; q++) {
        const i = before[q];
        const tr = chain ? chain.trans[i * n + j] : 0;
        for (let r = 0; r < count[(t - 1) * n + i]; r++) cand.push({ s: score[at(t - 1, i, r)] + tr, i, r });
      }
      // Stable: ties keep the lower predecessor tag, then the better rank (as viterbiTags breaks them).
      cand.sort((a, b) => b.s - a.s);
      const m = Math.min(N, cand.length);
      for (let r = 0; r < m; r++) {
        score[at(t, j, r)] = cand[r].s + logp[offset + t * n + j];
        prevTag[at(t, j, r)] = cand[r].i;
        prevRank[at(t, j, r)] = cand[r].r;
      }
      count[t * n + j] = m;
    }
  const ends: { s: number; j: number; r: number }[] = [];
  for (let j = 0; j < n; j++)
    if (g.last[j]) for (let r = 0; r < count[(length - 1) * n + j]; r++) ends.push({ s: score[at(length - 1, j, r)] + (chain ? chain.end[j] : 0), j, r });
  ends.sort((a, b) => b.s - a.s);
  return ends.slice(0, N).map(({ s, j, r }) => {
    const tags = new Int32Array(length);
    for (let t = length - 1; t >= 0; t--) {
      tags[t] = j;
      const k = at(t, j, r);
      [j, r] = [prevTag[k], prevRank[k]];
    }
    return { tags, score: s };
  });
}
