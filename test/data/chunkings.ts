/** Brute force over every tag sequence of a sentence, for checking the exact decoders of data/. */
import type { ChainScores, TagGrammar } from '../../src/data/viterbi.js';

export const BILOU = ['O', 'B-Peop', 'I-Peop', 'L-Peop', 'U-Peop', 'B-Org', 'I-Org', 'L-Org', 'U-Org'];

export function isValid(seq: number[], g: TagGrammar): boolean {
  if (!g.first[seq[0]] || !g.last[seq[seq.length - 1]]) return false;
  for (let t = 1; t < seq.length; t++) if (!g.allowed[seq[t - 1] * g.n + seq[t]]) return false;
  return true;
}

/** Every valid sequence of n^T with its score: Σ_t logp_t(tag), plus the CRF's start, transitions and end with `chain`. */
export function validSequences(logp: ArrayLike<number>, T: number, g: TagGrammar, chain?: ChainScores): { seq: number[]; score: number }[] {
  const out: { seq: number[]; score: number }[] = [];
  const seq = new Array<number>(T).fill(0);
  for (let code = 0; code < g.n ** T; code++) {
    let c = code;
    for (let t = 0; t < T; t++, c = Math.floor(c / g.n)) seq[t] = c % g.n;
    if (!isValid(seq, g)) continue;
    let score = chain ? chain.start[seq[0]] + chain.end[seq[T - 1]] : 0;
    seq.forEach((tag, t) => (score += logp[t * g.n + tag] + (chain && t > 0 ? chain.trans[seq[t - 1] * g.n + tag] : 0)));
    out.push({ seq: [...seq], score });
  }
  return out;
}

/** T rows of n log-probabilities from a small linear congruential generator (reproducible per seed). */
export function randomLogProbs(T: number, n: number, seed: number): Float64Array {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    const e = Array.from({ length: n }, () => Math.exp(4 * rand()));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => (out[t * n + j] = Math.log(v / z)));
  }
  return out;
}
