/**
 * 1-d convolutions with wide zero padding (K−1 on both ends, spec §2.2/§2.6) and the multi-width CNN
 * with max-pooling used by the char CNN and the three relation CNNs.
 *
 * Pooling ignores padding (our documented choice; the authors max over padded positions too, so their
 * features depend on the batch, spec §7.2). A sequence of n real rows padded to L gives a wide conv
 * output of L+K−1 positions of which the first n+K−1 touch at least one real row; only those are pooled.
 * We zero the others AFTER the ReLU instead of setting them to −inf before the max: ReLU outputs are
 * ≥ 0 and every sequence has ≥ 1 valid position, so the max is identical (and the gradient too). An
 * empty sequence (n = 0: the middle segment of adjacent entities) is treated as one zero row, which
 * yields ReLU(bias) — exactly what the authors' zero padding produces for it.
 */
import { arange, cat, conv1d, tensor, Tensor } from '../../tensor/index.js';
import { Module, uniform } from './module.js';

export class Conv1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly width: number,
  ) {
    super();
    const k = 1 / Math.sqrt(inChannels * width); // spec §2.9 (Conv2d default: 1/√(in·kh·kw))
    this.weight = this.param('weight', uniform([outChannels, inChannels, width], k));
    this.bias = this.param('bias', uniform([outChannels], k));
  }
  /** x [N, C_in, L] → [N, C_out, L+K−1] (wide: padding K−1). */
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { padding: this.width - 1 });
  }
}

/** Widths × filters convolutions → ReLU → masked max-pool → concatenation (width order). */
export class MultiWidthCnn extends Module {
  readonly convs: Conv1d[];
  readonly outDim: number;
  constructor(
    readonly inDim: number,
    readonly widths: number[],
    readonly filters: number,
  ) {
    super();
    // Child names `k2`, `k3`, … (stable weight names).
    this.convs = widths.map((w) => this.child(`k${w}`, new Conv1d(inDim, filters, w)));
    this.outDim = widths.length * filters;
  }

  /**
   * x [N, L, D] (rows past each length are zero), lengths [N] real rows per sequence → [N, outDim].
   * `lengths` may be an int64 tensor [N] already.
   */
  forward(x: Tensor, lengths: Int32Array | Tensor): Tensor {
    const L = x.size(1);
    // contiguous: libtorch's conv on the transposed view is >10× slower than a copy + conv
    const xt = x.transpose(1, 2).contiguous(); // [N, D, L]
    let lens = lengths instanceof Tensor ? lengths : tensor(lengths, { dtype: 'int64' });
    lens = lens.clamp(1, null).unsqueeze(1); // [N, 1]; empty → one zero row
    const outs = this.convs.map((c) => {
      const y = c.forward(xt).relu(); // [N, F, L+K−1]
      const invalid = arange(L + c.width - 1, undefined, 'int64').unsqueeze(0).ge(lens.add(c.width - 1)); // [N, Lout]
      return y.maskedFill(invalid.unsqueeze(1), 0).amax(2); // [N, F]
    });
    return outs.length === 1 ? outs[0] : cat(outs, 1);
  }
}
