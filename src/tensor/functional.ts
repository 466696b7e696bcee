/**
 * Functional ops (named exports; `index.ts` also re-exports them as the namespace `F`).
 */
import type { NativeHandle } from '../native/loader.js';
import { N, Tensor } from './tensor.js';
import { tensor } from './create.js';
import { int, intIn } from './check.js';

type Reduction = 'mean' | 'sum' | 'none';
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
  return new Tensor(N.cat(handles('cat', ts), int('cat', 'dim', dim), false));
}
/** cond ? a : b element-wise (broadcasting; cond is bool). */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return new Tensor(N.where(cond._n, a._n, b._n));
}
/** Rows of `weight` [V, D] for int64 `idx` (any shape) → [...idx.shape, D]. paddingIdx rows get no gradient. */
export function embedding(weight: Tensor, idx: Tensor, paddingIdx?: number): Tensor {
  return new Tensor(N.embedding(weight._n, idx._n, int('embedding', 'paddingIdx', paddingIdx ?? -1)));
}
/** x Wᵀ + b, with W [out, in]. */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  return new Tensor(N.linear(x._n, w._n, b ? b._n : null));
}
/** 1-d convolution with stride 1: x [N, C_in, L], w [C_out, C_in, K], b [C_out]; `padding` zeros at both ends. */
export function conv1d(x: Tensor, w: Tensor, b?: Tensor | null, opts: { padding?: number } = {}): Tensor {
  const padding = int('conv1d', 'padding', opts.padding ?? 0);
  return new Tensor(N.conv1d(x._n, w._n, b ? b._n : null, 1, padding, 1, 1));
}
/** Inverted dropout: zeroes with probability p and scales by 1/(1-p) when training; identity otherwise. */
export function dropout(x: Tensor, p: number, training: boolean): Tensor {
  return new Tensor(N.dropout(x._n, p, training));
}
/** log_softmax + nll in one fused op, over int64 targets (a target of −100 is ignored, as in libtorch). */
export function crossEntropy(logits: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  return new Tensor(N.crossEntropy(logits._n, target._n, red('crossEntropy', opts.reduction), -100, 0));
}
/** One-hot int64 [..., n] of int64 indices. */
export function oneHot(idx: Tensor, n: number): Tensor {
  return new Tensor(N.oneHot(idx._n, int('oneHot', 'n', n)));
}
/**
 * Scales the gradients of `params` in place so that their joint norm is at most maxNorm.
 * Returns the total norm before clipping (like torch.nn.utils.clip_grad_norm_).
 */
export function clipGradNorm(params: Tensor[], maxNorm: number, normType = 2): number {
  return N.clipGradNorm(handles('clipGradNorm', params), maxNorm, normType);
}

interface LstmOptions {
  /**
   * Flat weights in PyTorch's order, per layer: [w_ih, w_hh, b_ih, b_hh] then (bidirectional) the same
   * for the reverse direction. w_ih [4H, in], w_hh [4H, H], biases [4H]; gates ordered i, f, g, o.
   */
  weights: Tensor[];
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

/**
 * The weights list must hold what numLayers and bidirectional say: the binding reads the hidden size
 * from the first w_hh, so it needs at least one layer and the whole list.
 */
function checkLstmWeights(o: LstmOptions): number {
  const layers = intIn('lstm', 'numLayers', o.numLayers ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const dirs = o.bidirectional ? 2 : 1;
  const per = 4; // w_ih, w_hh, b_ih, b_hh
  if (!Array.isArray(o.weights)) throw new TypeError('lstm: weights must be an array of tensors');
  if (o.weights.length !== layers * dirs * per)
    throw new RangeError(
      `lstm: expected ${layers * dirs * per} weight tensors (${layers} layer(s) × ${dirs} direction(s) × ${per}), got ${o.weights.length}`,
    );
  return layers;
}

/**
 * Lengths given as numbers, as an int64 tensor: each an integer from 1 to the time dimension (an
 * Int32Array copy would wrap 2^32 + 2 to 2). A lengths tensor is checked by the binding.
 */
function lengthsTensor(x: Tensor, lengths: ArrayLike<number>, batchFirst: boolean): Tensor {
  const time = x.ndim === 3 ? x.size(batchFirst ? 1 : 0) : Number.MAX_SAFE_INTEGER;
  const out = new Float64Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) {
    const n = int('lstm', `lengths[${i}]`, lengths[i]);
    if (n > time) throw new RangeError(`lstm: a length (lengths[${i}] = ${n}) exceeds the time dimension ${time}`);
    if (n < 1) throw new RangeError(`lstm: lengths[${i}] is ${n}; a sequence needs a length of at least 1`);
    out[i] = n;
  }
  return tensor(out, { dtype: 'int64' });
}

/** libtorch's fused (Bi)LSTM: the output [B, T, dirs·H] (batchFirst). See LstmOptions. */
export function lstm(x: Tensor, o: LstmOptions): Tensor {
  const layers = checkLstmWeights(o);
  const batchFirst = o.batchFirst ?? true;
  let lengths: NativeHandle | null = null;
  let tmp: Tensor | undefined;
  if (o.lengths !== undefined) {
    if (o.lengths instanceof Tensor) lengths = o.lengths._n;
    else {
      tmp = lengthsTensor(x, o.lengths, batchFirst);
      lengths = tmp._n;
    }
  }
  try {
    const [out, hn, cn] = N.lstm(
      x._n, handles('lstm', o.weights), lengths, o.h0 ? o.h0._n : null, o.c0 ? o.c0._n : null,
      true, layers, o.dropout ?? 0, o.training ?? false, o.bidirectional ?? false, batchFirst,
    );
    // The final states are not wanted: freed now rather than by the GC.
    N.dispose(hn);
    N.dispose(cn);
    return new Tensor(out);
  } finally {
    tmp?.dispose();
  }
}
