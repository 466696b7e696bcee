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
import { arange, cat, conv1d, full, tensor, Tensor, zeros } from '../../tensor/index.js';
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

  /**
   * `forward` of P contiguous segments of a row table, without materialising them: segment p is table
   * rows start[p] … start[p] + length[p] − 1; `table` [R, D] ends with an all-zero row; an empty segment
   * is one zero row, as in `forward`. Same values (and pooling ignores padding the same way).
   *
   * Why: the relation CNNs read the same token rows for many candidate pairs (and MRT samples multiply
   * the pairs), so per-pair convolutions would redo the same products. Write the wide-conv output at
   * position j of a segment as Σ_k U_k[x_{j+k−(K−1)}] with the tap products U_k = W_k · row computed
   * once per table row (zero outside the segment). Positions whose window lies inside the segment
   * ("interior") equal the window sums of the whole table, so their max is a range-max query answered
   * from a sparse table of those sums (two lookups per pair); only the ≤ 2(K−1) windows that cross the
   * segment's ends are summed per pair. max commutes with the bias and the ReLU, applied last.
   */
  forwardSpans(table: Tensor, start: Int32Array, length: Int32Array): Tensor {
    const P = start.length;
    const [R, D] = table.shape;
    const zero = R - 1;
    if (P === 0) return zeros([0, this.outDim], table.dtype);
    const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
    const outs = this.convs.map((c) => {
      const K = c.width;
      const F = this.filters;
      const U = table.matmul(c.weight.permute([1, 2, 0]).reshape([D, K * F])).reshape([R * K, F]); // row r·K + k = W_k · table_r
      // Window sums ending at every table row i: Σ_k U_k[row i − (K−1) + k] (before row 0: the zero row).
      const win = new Int32Array(R * K);
      for (let i = 0; i < R; i++) for (let k = 0; k < K; k++) win[i * K + k] = (i - (K - 1) + k >= 0 ? i - (K - 1) + k : zero) * K + k;
      const ends = U.indexSelect(0, i64(win)).reshape([R, K, F]).sum(1);
      // Sparse table: level l holds the max of 2^l consecutive window sums, from row off[l].
      let longest = 0;
      for (let p = 0; p < P; p++) longest = Math.max(longest, length[p] - K + 1);
      const levels = [ends];
      const off = [0];
      for (let l = 1; 1 << l <= longest; l++) {
        const prev = levels[l - 1];
        const h = 1 << (l - 1);
        off.push(off[l - 1] + prev.size(0));
        levels.push(prev.narrow(0, 0, prev.size(0) - h).maximum(prev.narrow(0, h, prev.size(0) - h)));
      }
      const none = off[off.length - 1] + levels[levels.length - 1].size(0); // the −∞ row: no interior
      const ranges = cat([...levels, full([1, F], -Infinity, table.dtype)], 0);
      const q = new Int32Array(2 * P).fill(none);
      // Windows crossing an end: positions 0 … max(0, K−2) and n … n+K−2 (n = max(1, length)).
      const left = Math.max(1, K - 1);
      const slots = left + K - 1;
      const edge = new Int32Array(P * slots * K);
      for (let p = 0; p < P; p++) {
        const n = length[p];
        if (n >= K) {
          const a = start[p] + K - 1; // first interior window ends at row start + K − 1
          const b = start[p] + n - 1;
          const l = 31 - Math.clz32(b - a + 1);
          q[2 * p] = off[l] + a;
          q[2 * p + 1] = off[l] + b - (1 << l) + 1;
        }
        const ne = Math.max(1, n);
        for (let sIdx = 0; sIdx < slots; sIdx++) {
          const j = sIdx < left ? sIdx : ne + sIdx - left;
          for (let k = 0; k < K; k++) {
            const r = j + k - (K - 1);
            edge[(p * slots + sIdx) * K + k] = (r >= 0 && r < n ? start[p] + r : zero) * K + k;
          }
        }
      }
      const interior = ranges.indexSelect(0, i64(q)).reshape([P, 2, F]);
      const crossing = U.indexSelect(0, i64(edge)).reshape([P, slots, K, F]).sum(2);
      return cat([interior, crossing], 1).amax(1).add(c.bias).relu(); // [P, F]
    });
    return outs.length === 1 ? outs[0] : cat(outs, 1);
  }
}
