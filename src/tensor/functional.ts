/**
 * Functional ops (named exports; `index.ts` also re-exports them as the namespace `F`).
 */
import type { NativeHandle } from '../native/loader.js';
import { N, Tensor } from './tensor.js';
import { tensor } from './create.js';

export type Reduction = 'mean' | 'sum' | 'none';
const RED: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };
function red(op: string, r: Reduction | undefined): number {
  const c = RED[r ?? 'mean'];
  if (c === undefined) throw new TypeError(`${op}: reduction must be 'mean', 'sum' or 'none', got "${String(r)}"`);
  return c;
}
function handles(op: string, ts: Tensor[]): NativeHandle[] {
  if (!Array.isArray(ts)) throw new TypeError(`${op}: expected an array of tensors`);
  return ts.map((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: element ${i} is not a Tensor`);
    return t._n;
  });
}

/** Concatenates along an existing dimension. */
export function cat(ts: Tensor[], dim = 0): Tensor {
  return new Tensor(N.cat(handles('cat', ts), dim, false));
}
/** Stacks along a new dimension. */
export function stack(ts: Tensor[], dim = 0): Tensor {
  return new Tensor(N.cat(handles('stack', ts), dim, true));
}
/** cond ? a : b element-wise (broadcasting; cond is bool). */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return new Tensor(N.where(cond._n, a._n, b._n));
}
/** Rows of `weight` [V, D] for int64 `idx` (any shape) → [...idx.shape, D]. paddingIdx rows get no gradient. */
export function embedding(weight: Tensor, idx: Tensor, paddingIdx?: number): Tensor {
  return new Tensor(N.embedding(weight._n, idx._n, paddingIdx ?? -1));
}
/** x Wᵀ + b, with W [out, in]. */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  return new Tensor(N.linear(x._n, w._n, b ? b._n : null));
}
/** 1-d convolution: x [N, C_in, L], w [C_out, C_in/groups, K], b [C_out]. */
export function conv1d(
  x: Tensor, w: Tensor, b?: Tensor | null,
  opts: { padding?: number; stride?: number; dilation?: number; groups?: number } = {},
): Tensor {
  return new Tensor(N.conv1d(x._n, w._n, b ? b._n : null, opts.stride ?? 1, opts.padding ?? 0, opts.dilation ?? 1, opts.groups ?? 1));
}
/** Inverted dropout: zeroes with probability p and scales by 1/(1-p) when training; identity otherwise. */
export function dropout(x: Tensor, p: number, training: boolean): Tensor {
  return new Tensor(N.dropout(x._n, p, training));
}
/** Negative log-likelihood of log-probabilities [N, C] (or [N, C, d...]) against int64 targets. */
export function nllLoss(logp: Tensor, target: Tensor, opts: { reduction?: Reduction; ignoreIndex?: number } = {}): Tensor {
  return new Tensor(N.nllLoss(logp._n, target._n, red('nllLoss', opts.reduction), opts.ignoreIndex ?? -100));
}
/** log_softmax + nll in one fused op. */
export function crossEntropy(
  logits: Tensor, target: Tensor,
  opts: { reduction?: Reduction; ignoreIndex?: number; labelSmoothing?: number } = {},
): Tensor {
  return new Tensor(N.crossEntropy(logits._n, target._n, red('crossEntropy', opts.reduction), opts.ignoreIndex ?? -100, opts.labelSmoothing ?? 0));
}
/** One-hot int64 [..., n] of int64 indices. */
export function oneHot(idx: Tensor, n: number): Tensor {
  return new Tensor(N.oneHot(idx._n, n));
}
/** Samples n indices per row from (unnormalised) probabilities [C] or [N, C]. */
export function multinomial(probs: Tensor, n: number, replacement = false): Tensor {
  return new Tensor(N.multinomial(probs._n, n, replacement));
}
/**
 * Scales the gradients of `params` in place so that their joint norm is at most maxNorm.
 * Returns the total norm before clipping (like torch.nn.utils.clip_grad_norm_).
 */
export function clipGradNorm(params: Tensor[], maxNorm: number, normType = 2): number {
  return N.clipGradNorm(handles('clipGradNorm', params), maxNorm, normType);
}

export interface LstmOptions {
  /**
   * Flat weights in PyTorch's order, per layer: [w_ih, w_hh, b_ih, b_hh] then (bidirectional) the same
   * for the reverse direction. w_ih [4H, in], w_hh [4H, H], biases [4H]; gates ordered i, f, g, o.
   */
  weights: Tensor[];
  /** Default true; false means weights hold only [w_ih, w_hh] per direction. */
  hasBiases?: boolean;
  numLayers?: number;
  bidirectional?: boolean;
  /** Default true: x is [B, T, in]; false: [T, B, in]. */
  batchFirst?: boolean;
  /**
   * Real lengths of the padded batch (any order; need not be sorted). Enables the packed path: padded
   * positions of the output are 0 and the backward direction starts at each sequence's real end.
   */
  lengths?: number[] | Int32Array | Tensor;
  /** Dropout between layers (only with numLayers > 1) and whether it is active. */
  dropout?: number;
  training?: boolean;
  /** Initial states [numLayers * dirs, B, H]; zeros when omitted. */
  h0?: Tensor;
  c0?: Tensor;
}

/** libtorch's fused (Bi)LSTM with its states: output [B, T, dirs·H] (batchFirst), hn/cn [layers·dirs, B, H]. */
export function lstmWithState(x: Tensor, o: LstmOptions): { output: Tensor; hn: Tensor; cn: Tensor } {
  let lengths: NativeHandle | null = null;
  let tmp: Tensor | undefined;
  if (o.lengths !== undefined) {
    if (o.lengths instanceof Tensor) lengths = o.lengths._n;
    else {
      tmp = tensor(Int32Array.from(o.lengths as ArrayLike<number>), { dtype: 'int64' });
      lengths = tmp._n;
    }
  }
  try {
    const [out, hn, cn] = N.lstm(
      x._n, handles('lstm', o.weights), lengths, o.h0 ? o.h0._n : null, o.c0 ? o.c0._n : null,
      o.hasBiases ?? true, o.numLayers ?? 1, o.dropout ?? 0, o.training ?? false, o.bidirectional ?? false,
      o.batchFirst ?? true,
    );
    return { output: new Tensor(out), hn: new Tensor(hn), cn: new Tensor(cn) };
  } finally {
    tmp?.dispose();
  }
}

/** libtorch's fused (Bi)LSTM; returns only the output [B, T, dirs·H] (batchFirst). See LstmOptions. */
export function lstm(x: Tensor, o: LstmOptions): Tensor {
  const r = lstmWithState(x, o);
  r.hn.dispose();
  r.cn.dispose();
  return r.output;
}
