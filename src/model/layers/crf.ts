/**
 * A linear-chain CRF over the tagger's emissions e_i = W_E · h_i (not in the paper, whose Eq. 1 is a
 * per-token softmax; `model.tagger = 'crf'`). One distribution over whole tag sequences:
 *
 *   P(t | s) = exp(a_start[t_0] + Σ_i e_i(t_i) + Σ_(i>0) A[t_(i−1), t_i] + a_end[t_(n−1)]) / Z(s)
 *
 * restricted to the valid BILOU chunkings (data/viterbi.ts's grammar): an invalid transition, first or
 * last tag gets a fixed −10⁴ on top of its learned score, so Z(s) sums over valid chunkings only and
 * MRT's P(E′) (Eq. 6) is a proper distribution over the outputs Algorithm 1 can draw.
 * A, a_start, a_end start at zero (no draw from the generator: other settings' runs stay as they were).
 */
import { cat, keep, tensor, where, zeros, type Tensor } from '../../tensor/index.js';
import type { ChainScores, TagGrammar } from '../../data/viterbi.js';
import { currentParamDType, Module } from './module.js';

/** Score added to what the grammar forbids: exp(−10⁴) is 0 in float32 and float64 alike. */
const FORBIDDEN = -1e4;

/** A tag sequence of batch row `sent` (MRT scores several per sentence against one encoder pass). */
export interface TagPath {
  sent: number;
  tags: ArrayLike<number>;
}

export class Crf extends Module {
  readonly transitions: Tensor;
  readonly start: Tensor;
  readonly end: Tensor;
  private readonly transMask: Tensor;
  private readonly startMask: Tensor;
  private readonly endMask: Tensor;

  constructor(readonly grammar: TagGrammar) {
    super();
    const n = grammar.n;
    const dtype = currentParamDType();
    this.transitions = this.param('transitions', zeros([n, n], dtype));
    this.start = this.param('start', zeros([n], dtype));
    this.end = this.param('end', zeros([n], dtype));
    const mask = (ok: Uint8Array, shape: number[]) => keep(tensor(Float64Array.from(ok, (a) => (a ? 0 : FORBIDDEN)), { shape, dtype }));
    this.transMask = mask(grammar.allowed, [n, n]);
    this.startMask = mask(grammar.first, [n]);
    this.endMask = mask(grammar.last, [n]);
  }

  /** The learned scores with the grammar's exclusions added: transitions [n, n], start [n], end [n]. */
  private masked(): { trans: Tensor; start: Tensor; end: Tensor } {
    return { trans: this.transitions.add(this.transMask), start: this.start.add(this.startMask), end: this.end.add(this.endMask) };
  }

  /** log Z(s) per sentence [B] by the forward algorithm over `emissions` [B, T, n] (0 for an empty one). */
  logPartition(emissions: Tensor, lengths: Int32Array): Tensor {
    const [B, T] = emissions.shape;
    const longest = Math.max(0, ...lengths);
    const shortest = Math.min(...lengths);
    if (longest === 0) return zeros([B], emissions.dtype);
    const { trans, start, end } = this.masked();
    let alpha = emissions.narrow(1, 0, 1).squeeze(1).add(start); // [B, n]
    // Which sentences still run at step t: [B, T, 1]; only needed past the shortest one.
    const live = shortest < longest ? tensor(Uint8Array.from({ length: B * T }, (_, k) => (k % T < lengths[Math.floor(k / T)] ? 1 : 0)), { shape: [B, T, 1] }) : undefined;
    for (let t = 1; t < longest; t++) {
      // α_t(j) = logΣ_i exp(α_(t−1)(i) + A[i, j]) + e_t(j); a finished sentence keeps its α
      const next = alpha.unsqueeze(2).add(trans.unsqueeze(0)).logsumexp(1).add(emissions.narrow(1, t, 1).squeeze(1));
      alpha = t < shortest ? next : where((live as Tensor).narrow(1, t, 1).squeeze(1), next, alpha);
    }
    const logZ = alpha.add(end).logsumexp(1);
    return shortest > 0 ? logZ : where(tensor(Uint8Array.from(lengths, (n) => (n > 0 ? 1 : 0))), logZ, zeros([B], logZ.dtype));
  }

  /** The unnormalised log-score of each path [G] (the exponent of P(t | s) above). */
  pathScores(emissions: Tensor, paths: readonly TagPath[]): Tensor {
    const [B, T, n] = emissions.shape;
    // One table: the emissions, the transitions, the start and end scores, a zero for padding.
    const { trans, start, end } = this.masked();
    const table = cat([emissions.reshape([-1]), trans.reshape([-1]), start, end, zeros([1], emissions.dtype)]);
    const [transAt, startAt, endAt] = [B * T * n, B * T * n + n * n, B * T * n + n * n + n];
    const W = 2 * T + 1;
    const idx = new Int32Array(paths.length * W).fill(endAt + n);
    paths.forEach(({ sent, tags }, g) => {
      const row = g * W;
      for (let i = 0; i < tags.length; i++) {
        idx[row + i] = (sent * T + i) * n + tags[i];
        idx[row + T + i] = i === 0 ? startAt + tags[0] : transAt + tags[i - 1] * n + tags[i];
      }
      if (tags.length > 0) idx[row + 2 * T] = endAt + tags[tags.length - 1];
    });
    return table.indexSelect(0, tensor(idx, { dtype: 'int64' })).reshape([paths.length, W]).sum(1);
  }

  /** log P(t | s) of each path [G]; `logZ` from `logPartition` (computed once per batch). */
  pathLogProbs(emissions: Tensor, logZ: Tensor, paths: readonly TagPath[]): Tensor {
    const sent = tensor(Int32Array.from(paths, (p) => p.sent), { dtype: 'int64' });
    return this.pathScores(emissions, paths).sub(logZ.indexSelect(0, sent));
  }

  /** The learned scores as plain numbers, for decoding and sampling in JS (the grammar excludes the rest). */
  chainScores(): ChainScores {
    return { trans: this.transitions.toFloat64Array(), start: this.start.toFloat64Array(), end: this.end.toFloat64Array() };
  }
}
