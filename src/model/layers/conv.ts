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
   * `forward` of P contiguous segments of a row layout over a table, without materialising them: segment
   * p is layout rows start[p] … start[p] + length[p] − 1, layout row r reads table row `layout[r]`;
   * `table` [R, D] ends with an all-zero row; an empty segment is one zero row, as in `forward`. Same
   * values (and pooling ignores padding the same way).
   *
   * Why: the relation CNNs read the same token rows for many candidate pairs (and MRT samples multiply
   * the pairs), so per-pair convolutions would redo the same products. Write the wide-conv output at
   * position j of a segment as Σ_k U_k[x_{j+k−(K−1)}] with the tap products U_k = W_k · row computed
   * once per TABLE row (zero outside the segment; layout rows that read the same table row, such as a
   * token that several MRT samples tag alike, share them). Then either
   * - every window of every segment is summed from its taps (short segments: entities), or
   * - positions whose window lies inside the segment ("interior") equal the window sums of the whole
   *   layout, so their max is a range-max query answered from a sparse table of those sums (two lookups
   *   per pair), and only the ≤ 2(K−1) windows that cross the segment's ends are summed per pair;
   * whichever gathers fewer rows. max commutes with the bias and the ReLU, applied last.
   */
  forwardSpans(table: Tensor, layout: Int32Array, start: Int32Array, length: Int32Array): Tensor {
    const P = start.length;
    if (P === 0) return zeros([0, this.outDim], table.dtype);
    ({ table, layout } = rowsRead(table, layout, start, length));
    const [R, D] = table.shape;
    const zero = R - 1;
    // Segments by length, in groups whose longest is at most twice their shortest: summing every window
    // pads a group's segments to its own longest only (one long middle no longer widens every pair's).
    const order = Int32Array.from(start.keys()).sort((a, b) => length[a] - length[b] || a - b);
    const sorted = order.every((p, i) => p === i);
    if (!sorted) [start, length] = [permute(start, order), permute(length, order)];
    const groups: number[] = [0]; // group g is sorted segments groups[g] … groups[g + 1] − 1
    for (let p = 1; p < P; p++) if (length[p] > 2 * Math.max(1, length[groups[groups.length - 1]])) groups.push(p);
    groups.push(P);
    const longest = length[P - 1];
    const outs = this.convs.map((c) => {
      const K = c.width;
      const U = table.matmul(c.weight.permute([1, 2, 0]).reshape([D, K * this.filters])).reshape([R * K, this.filters]); // row r·K + k = W_k · table_r
      // U row of tap k over row r of segment p (the zero row outside the segment). Taps and windows are
      // laid out [K, windows, P, F]: summing the taps and pooling the windows then reduce over contiguous
      // slabs, 3–11× faster than over an inner dimension of stride F.
      const tap = (p: number, r: number, k: number) => (r >= 0 && r < length[p] ? layout[start[p] + r] : zero) * K + k;
      // Rows each way gathers: every window's taps, or the window sums, sparse table and crossing taps.
      let direct = 0;
      for (let g = 0; g + 1 < groups.length; g++) direct += (groups[g + 1] - groups[g]) * (Math.max(1, length[groups[g + 1] - 1]) + K - 1) * K;
      const levels = 31 - Math.clz32(Math.max(1, longest - K + 1)); // sparse-table levels above the window sums
      let pooled: Tensor;
      if (direct <= layout.length * (K + levels) + P * (2 + crossingSlots(K) * K)) {
        const parts = groups.slice(1).map((to, g) => allWindows(U, groups[g], to, K, length, tap).amax(0));
        pooled = parts.length === 1 ? parts[0] : cat(parts, 0);
      } else pooled = this.rangeMaxWindows(U, layout, zero, K, start, length, tap).amax(0);
      return pooled.add(c.bias).relu(); // [P, F]
    });
    const out = outs.length === 1 ? outs[0] : cat(outs, 1);
    if (sorted) return out;
    const back = new Int32Array(P);
    order.forEach((p, i) => (back[p] = i));
    return out.indexSelect(0, tensor(back, { dtype: 'int64' }));
  }

  /**
   * [2 + slots, P, F]: the max interior window sum, twice, from a sparse table over the window sums
   * ending at every layout row (−∞ without an interior), then the windows that cross an end.
   */
  private rangeMaxWindows(
    U: Tensor,
    layout: Int32Array,
    zero: number,
    K: number,
    start: Int32Array,
    length: Int32Array,
    tap: (p: number, r: number, k: number) => number,
  ): Tensor {
    const P = start.length;
    const L = layout.length;
    const F = this.filters;
    const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
    // Window sums ending at every layout row i: Σ_k U_k[row i − (K−1) + k] (before row 0: the zero row).
    const win = new Int32Array(L * K);
    for (let k = 0; k < K; k++) for (let i = 0; i < L; i++) win[k * L + i] = (i - (K - 1) + k >= 0 ? layout[i - (K - 1) + k] : zero) * K + k;
    const ends = U.indexSelect(0, i64(win)).reshape([K, L, F]).sum(0);
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
    const ranges = cat([...levels, full([1, F], -Infinity, U.dtype)], 0);
    const q = new Int32Array(2 * P).fill(none); // [2, P]
    // Windows crossing an end: positions 0 … max(0, K−2) and n … n+K−2 (n = max(1, length)).
    const left = Math.max(1, K - 1);
    const slots = crossingSlots(K);
    const edge = new Int32Array(K * slots * P);
    for (let p = 0; p < P; p++) {
      const n = length[p];
      if (n >= K) {
        const a = start[p] + K - 1; // first interior window ends at row start + K − 1
        const b = start[p] + n - 1;
        const l = 31 - Math.clz32(b - a + 1);
        q[p] = off[l] + a;
        q[P + p] = off[l] + b - (1 << l) + 1;
      }
      const ne = Math.max(1, n);
      for (let sIdx = 0; sIdx < slots; sIdx++) {
        const j = sIdx < left ? sIdx : ne + sIdx - left;
        for (let k = 0; k < K; k++) edge[(k * slots + sIdx) * P + p] = tap(p, j + k - (K - 1), k);
      }
    }
    const interior = ranges.indexSelect(0, i64(q)).reshape([2, P, F]);
    const crossing = U.indexSelect(0, i64(edge)).reshape([K, slots, P, F]).sum(0);
    return cat([interior, crossing], 0);
  }
}

/**
 * The table cut down to the rows the segments read (and its zero row), with the layout remapped: tap
 * products cost a matmul row per table row, and prediction's e1/e2 CNNs read only the entity tokens of
 * a table that holds every token. Layout rows no segment reads map to the zero row (never pooled).
 */
function rowsRead(table: Tensor, layout: Int32Array, start: Int32Array, length: Int32Array): { table: Tensor; layout: Int32Array } {
  const R = table.size(0);
  const slot = new Int32Array(R).fill(-1);
  const rows: number[] = [];
  for (let p = 0; p < start.length; p++)
    for (let r = start[p]; r < start[p] + length[p]; r++) if (slot[layout[r]] < 0) slot[layout[r]] = rows.push(layout[r]) - 1;
  if (rows.length + 1 >= R) return { table, layout };
  slot[R - 1] = rows.length;
  rows.push(R - 1);
  const remapped = new Int32Array(layout.length);
  for (let i = 0; i < layout.length; i++) remapped[i] = slot[layout[i]] < 0 ? rows.length - 1 : slot[layout[i]];
  return { table: table.indexSelect(0, tensor(Int32Array.from(rows), { dtype: 'int64' })), layout: remapped };
}

/** a[order[0]], a[order[1]], … (a loop: typed-array `from` with a map function is ~10× slower). */
function permute(a: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = a[order[i]];
  return out;
}

/**
 * [window, to − from, F]: every wide-conv position of segments from … to − 1, whose longest is the last,
 * summed from its taps; positions past a segment's last one (n + K − 2, n = max(1, length)) repeat it,
 * which leaves the max unchanged.
 */
function allWindows(U: Tensor, from: number, to: number, K: number, length: Int32Array, tap: (p: number, r: number, k: number) => number): Tensor {
  const P = to - from;
  const window = Math.max(1, length[to - 1]) + K - 1;
  const rows = new Int32Array(K * window * P);
  for (let q = 0; q < P; q++) {
    const last = Math.max(1, length[from + q]) + K - 2;
    for (let j = 0; j < window; j++) for (let k = 0; k < K; k++) rows[(k * window + j) * P + q] = tap(from + q, Math.min(j, last) + k - (K - 1), k);
  }
  return U.indexSelect(0, tensor(rows, { dtype: 'int64' })).reshape([K, window, P, U.size(1)]).sum(0);
}

/** Windows that cross a segment's ends, per segment: max(1, K−1) at the start and K−1 at the end. */
function crossingSlots(K: number): number {
  return Math.max(1, K - 1) + K - 1;
}
