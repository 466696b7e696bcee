/**
 * Constrained decoding of chunk tags: the most probable tag sequence that is a valid BILOU (or BIEOU)
 * chunking, given independent per-token tag log-probabilities (the tagger's softmax, paper Eq. 1), or
 * given a linear-chain CRF's emissions and transition scores (`ChainScores`, model `tagger: 'crf'`).
 *
 * The paper takes the per-token argmax and reads it with a lenient chunker (spec §5.1), which turns an
 * invalid sequence such as `B-Peop O` or `B-Peop L-Org` into guesses. Since the tags are independent
 * given the sentence, the best valid sequence under the same model is found exactly by Viterbi over a
 * 0/1 transition mask: an entity opened with B continues with I and closes with L of the same type;
 * outside an entity only O, B and U may come. Where the argmax sequence is valid, both agree.
 */

/** Which tag may follow which, for a tag list like the vocabulary's (O, B-T, I-T, L-T|E-T, U-T, …). */
export interface TagGrammar {
  n: number;
  /** allowed[i·n + j] = 1 when tag j may follow tag i. */
  allowed: Uint8Array;
  /** The tags that may precede tag j, ascending: before[beforeStart[j]] … before[beforeStart[j + 1] − 1]. */
  before: Int32Array;
  beforeStart: Int32Array;
  /** May start / end a sentence. */
  first: Uint8Array;
  last: Uint8Array;
}

export function tagGrammar(tags: readonly string[]): TagGrammar {
  const n = tags.length;
  const parts = tags.map((t) => {
    const dash = t.indexOf('-');
    if (dash === -1) return { p: 'O', type: '' };
    const p = t.slice(0, dash);
    return { p: p === 'E' ? 'L' : p === 'S' ? 'U' : p, type: t.slice(dash + 1) };
  });
  const opens = (p: string) => p === 'B' || p === 'I'; // inside an entity after this tag
  const allowed = new Uint8Array(n * n);
  const first = new Uint8Array(n);
  const last = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const b = parts[j];
    first[j] = b.p === 'I' || b.p === 'L' ? 0 : 1;
    last[j] = opens(b.p) ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const a = parts[i];
      const ok = opens(a.p) ? (b.p === 'I' || b.p === 'L') && a.type === b.type : b.p !== 'I' && b.p !== 'L';
      allowed[i * n + j] = ok ? 1 : 0;
    }
  }
  const beforeStart = new Int32Array(n + 1);
  const before: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) if (allowed[i * n + j]) before.push(i);
    beforeStart[j + 1] = before.length;
  }
  return { n, allowed, before: Int32Array.from(before), beforeStart, first, last };
}

/**
 * A linear-chain CRF's scores besides its emissions: trans[i·n + j] for tag j after tag i, start[j] for
 * a sentence's first tag, end[j] for its last. The grammar's invalid transitions are excluded on top.
 */
export interface ChainScores {
  trans: ArrayLike<number>;
  start: ArrayLike<number>;
  end: ArrayLike<number>;
}

/**
 * The valid tag sequence maximising Σ_i log P(t_i): `logp` holds `length` rows of `g.n` log-probabilities
 * starting at `offset`. With `chain`, `logp` holds CRF emissions and the sequence maximises
 * start[t_0] + Σ_i logp_i(t_i) + Σ_i trans[t_(i−1), t_i] + end[t_(n−1)]. Returns the tag ids.
 */
export function viterbiTags(logp: ArrayLike<number>, offset: number, length: number, g: TagGrammar, chain?: ChainScores): Int32Array {
  const { n, before, beforeStart } = g;
  const out = new Int32Array(length);
  if (length === 0) return out;
  const back = new Int32Array(length * n);
  let score = new Float64Array(n);
  let next = new Float64Array(n);
  for (let j = 0; j < n; j++) score[j] = g.first[j] ? logp[offset + j] + (chain ? chain.start[j] : 0) : -Infinity;
  for (let t = 1; t < length; t++) {
    const row = offset + t * n;
    for (let j = 0; j < n; j++) {
      let best = -Infinity;
      let arg = 0;
      // Only the allowed predecessors (a third of all pairs under BILOU), ascending: ties go to the lowest id.
      for (let q = beforeStart[j]; q < beforeStart[j + 1]; q++) {
        const i = before[q];
        const s = chain ? score[i] + chain.trans[i * n + j] : score[i];
        if (s > best) {
          best = s;
          arg = i;
        }
      }
      next[j] = best + logp[row + j];
      back[t * n + j] = arg;
    }
    [score, next] = [next, score];
  }
  let best = -Infinity;
  let arg = 0;
  for (let j = 0; j < n; j++) {
    const s = score[j] + (chain ? chain.end[j] : 0);
    if (g.last[j] && s > best) {
      best = s;
      arg = j;
    }
  }
  for (let t = length - 1; t >= 0; t--) {
    out[t] = arg;
    arg = back[t * n + arg];
  }
  return out;
}

/**
 * The forward pass of a CRF restricted to the grammar's valid chunkings, in log space, for one sentence
 * (`em`: `length` rows of `g.n` emissions from `offset`): alpha[i·n + j] is the log of the total score of
 * the valid prefixes t_0..t_i with t_i = j, emission i included (−∞ where no valid prefix ends in j).
 */
export function chainForward(em: ArrayLike<number>, offset: number, length: number, g: TagGrammar, chain: ChainScores): Float64Array {
  const { n, before, beforeStart } = g;
  const alpha = new Float64Array(length * n).fill(-Infinity);
  if (length === 0) return alpha;
  for (let j = 0; j < n; j++) if (g.first[j]) alpha[j] = chain.start[j] + em[offset + j];
  const terms = new Float64Array(n);
  for (let t = 1; t < length; t++)
    for (let j = 0; j < n; j++) {
      let m = 0;
      for (let q = beforeStart[j]; q < beforeStart[j + 1]; q++, m++) terms[m] = alpha[(t - 1) * n + before[q]] + chain.trans[before[q] * n + j];
      alpha[t * n + j] = logSumExp(terms, m) + em[offset + t * n + j];
    }
  return alpha;
}

/** A CRF's forward–backward quantities for one sentence, in log space. */
export interface ChainMarginals {
  /** log of the total score of all valid sequences. */
  logZ: number;
  /** log of the total score of the valid prefixes t_0..t_i with t_i = j (emission i included). */
  logAlpha(i: number, j: number): number;
  /** log of the total score of the valid suffixes after i given t_i = j (emission i excluded, end score included). */
  logBeta(i: number, j: number): number;
}

/**
 * Forward–backward of a CRF over the grammar's valid chunkings (one sentence, `em` as in `chainForward`).
 * Computed in probability space with each row rescaled (one exp per emission and per transition, where
 * log space takes one per allowed transition at every token: 3× faster, and entity scores need it for
 * every sentence that has an entity). Emissions so far apart that a whole row underflows fall back to
 * the exact log-space recursion.
 */
export function chainForwardBackward(em: ArrayLike<number>, offset: number, length: number, g: TagGrammar, chain: ChainScores): ChainMarginals {
  return scaledForwardBackward(em, offset, length, g, chain) ?? logSpaceForwardBackward(em, offset, length, g, chain);
}

/** exp of a chain's scores (0 where the grammar forbids), computed once per chain and grammar. */
const expScores = new WeakMap<ChainScores, WeakMap<TagGrammar, { A: Float64Array; S: Float64Array; F: Float64Array }>>();
function expOf(chain: ChainScores, g: TagGrammar): { A: Float64Array; S: Float64Array; F: Float64Array } {
  let byGrammar = expScores.get(chain);
  if (!byGrammar) expScores.set(chain, (byGrammar = new WeakMap()));
  let e = byGrammar.get(g);
  if (!e) {
    const n = g.n;
    e = {
      A: Float64Array.from({ length: n * n }, (_, k) => (g.allowed[k] ? Math.exp(chain.trans[k]) : 0)),
      S: Float64Array.from({ length: n }, (_, j) => (g.first[j] ? Math.exp(chain.start[j]) : 0)),
      F: Float64Array.from({ length: n }, (_, j) => (g.last[j] ? Math.exp(chain.end[j]) : 0)),
    };
    byGrammar.set(g, e);
  }
  return e;
}

function scaledForwardBackward(em: ArrayLike<number>, offset: number, length: number, g: TagGrammar, chain: ChainScores): ChainMarginals | undefined {
  const { n, before, beforeStart } = g;
  if (length === 0) return { logZ: 0, logAlpha: () => -Infinity, logBeta: () => -Infinity };
  const { A, S, F } = expOf(chain, g);
  // E[i·n + j] = exp(e_i(j) − max_j e_i(j)); the shifts go into each row's log scale.
  const E = new Float64Array(length * n);
  const shift = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, em[offset + i * n + j]);
    shift[i] = m;
    for (let j = 0; j < n; j++) E[i * n + j] = Math.exp(em[offset + i * n + j] - m);
  }
  // alpha row i, normalised to sum 1; log alpha = log(row) + aLog[i]
  const alpha = new Float64Array(length * n);
  const aLog = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let c = 0;
    for (let j = 0; j < n; j++) {
      let u = 0;
      if (i === 0) u = S[j];
      else for (let q = beforeStart[j]; q < beforeStart[j + 1]; q++) u += alpha[(i - 1) * n + before[q]] * A[before[q] * n + j];
      c += alpha[i * n + j] = u * E[i * n + j];
    }
    if (!(c > 0 && c < Infinity)) return undefined;
    for (let j = 0; j < n; j++) alpha[i * n + j] /= c;
    aLog[i] = (i ? aLog[i - 1] : 0) + Math.log(c) + shift[i];
  }
  // beta row i, normalised to sum 1; log beta = log(row) + bLog[i]
  const beta = new Float64Array(length * n);
  const bLog = new Float64Array(length);
  let z = 0;
  for (let j = 0; j < n; j++) {
    beta[(length - 1) * n + j] = F[j];
    z += alpha[(length - 1) * n + j] * beta[(length - 1) * n + j];
  }
  if (!(z > 0 && z < Infinity)) return undefined;
  for (let i = length - 2; i >= 0; i--) {
    // β_i(k) = Σ_j A[k, j]·E_(i+1)(j)·β_(i+1)(j), scattered from each j to its allowed predecessors k
    for (let j = 0; j < n; j++) {
      const w = E[(i + 1) * n + j] * beta[(i + 1) * n + j];
      if (w === 0) continue;
      for (let q = beforeStart[j]; q < beforeStart[j + 1]; q++) beta[i * n + before[q]] += A[before[q] * n + j] * w;
    }
    let d = 0;
    for (let k = 0; k < n; k++) d += beta[i * n + k];
    if (!(d > 0 && d < Infinity)) return undefined;
    for (let k = 0; k < n; k++) beta[i * n + k] /= d;
    bLog[i] = bLog[i + 1] + Math.log(d) + shift[i + 1];
  }
  return {
    logZ: aLog[length - 1] + Math.log(z),
    logAlpha: (i, j) => Math.log(alpha[i * n + j]) + aLog[i],
    logBeta: (i, j) => Math.log(beta[i * n + j]) + bLog[i],
  };
}

/** The same quantities by the log-space recursions (log-sum-exp per tag and token). */
function logSpaceForwardBackward(em: ArrayLike<number>, offset: number, length: number, g: TagGrammar, chain: ChainScores): ChainMarginals {
  const n = g.n;
  const alpha = chainForward(em, offset, length, g, chain);
  const beta = new Float64Array(length * n).fill(-Infinity);
  const terms = new Float64Array(n);
  if (length > 0) for (let j = 0; j < n; j++) if (g.last[j]) beta[(length - 1) * n + j] = chain.end[j];
  for (let t = length - 2; t >= 0; t--)
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < n; j++)
        if (g.allowed[i * n + j]) terms[m++] = chain.trans[i * n + j] + em[offset + (t + 1) * n + j] + beta[(t + 1) * n + j];
      beta[t * n + i] = logSumExp(terms, m);
    }
  for (let j = 0; j < n; j++) terms[j] = length > 0 ? alpha[j] + beta[j] : -Infinity;
  return {
    logZ: length > 0 ? logSumExp(terms, n) : 0,
    logAlpha: (i, j) => alpha[i * n + j],
    logBeta: (i, j) => beta[i * n + j],
  };
}

/** log Σ_k exp(x_k) over the first m entries (−∞ when m = 0 or all are −∞). */
function logSumExp(x: ArrayLike<number>, m: number): number {
  let max = -Infinity;
  for (let k = 0; k < m; k++) if (x[k] > max) max = x[k];
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let k = 0; k < m; k++) s += Math.exp(x[k] - max);
  return max + Math.log(s);
}
