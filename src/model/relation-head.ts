/**
 * The relation model of Sun et al. (2018) §3.2, reference spec §2.4–2.7, over the tagger's states, for
 * every candidate pair (e1, e2) of a batch at once:
 *   z_i = h_i ⊕ onehot(t_i)
 *   f_mid, f_e1, f_e2 = CNN_mid, CNN_e1, CNN_e2 over the z rows of each segment
 *   f_dist = onehot(start(e2) − last(e1)), f_left / f_right by LSTM-minus (pairs.ts)
 *   P_rel(l | s, e1, e2) = Softmax(W_2 · ReLU(W_1 · f_{e1,e2}))   (Eq. 2; dropout after the ReLU)
 * with f_{e1,e2} = [f_mid, f_e1, f_e2, f_dist, f_left, f_right] (the authors' order). With
 * `fixRightContext: false`, f_right is a copy of f_left, as the authors' code does (spec §2.6.4).
 */
import { cat, eye, keep, oneHot, tensor, zeros, type Tensor } from '../tensor/index.js';
import { MultiWidthCnn } from './layers/conv.js';
import { Dropout } from './layers/dropout.js';
import { Linear } from './layers/linear.js';
import { currentParamDType, Module } from './layers/module.js';
import { relationIndex, type ContextIndex, type PairSet, type SegmentIndex } from './pairs.js';
import type { ModelConfig } from './types.js';

/** One block of the relation features f: its values per distinct input [S, width], and each pair's row. */
interface FeatureBlock {
  f: Tensor;
  of: Int32Array;
}

/** The blocks of f (`parts`); f_dist is the bucket per pair. */
interface RelationParts {
  mid: FeatureBlock;
  e1: FeatureBlock;
  e2: FeatureBlock;
  dist: Int32Array;
  left: FeatureBlock;
  right: FeatureBlock;
}

export class RelationHead extends Module {
  readonly mid: MultiWidthCnn;
  readonly e1: MultiWidthCnn;
  readonly e2: MultiWidthCnn;
  private readonly dropZ: Dropout;
  /** W_1 [mlpHidden, |f|], columns in f's order. */
  readonly hidden: Linear;
  private readonly dropMlp: Dropout;
  /** W_2 [|R|, mlpHidden]. */
  readonly out: Linear;
  /** |f| = 3·CNN filters + maxDistance + 2·(2H). */
  readonly featureDim: number;
  /** Frozen one-hot table [|tags| + 1, |tags|]: identity plus a zero row for segment padding (spec §2.5). */
  private readonly tagTable: Tensor;

  /** Parameters in the current parameter dtype, drawn in the order mid, e1, e2, W_1, W_2 (as before the split: seeded runs repeat). */
  constructor(
    private readonly config: ModelConfig,
    hDim: number,
    private readonly numTags: number,
    private readonly numLabels: number,
  ) {
    super();
    const c = config;
    const zDim = hDim + numTags;
    this.mid = this.child('mid', new MultiWidthCnn(zDim, c.relWidths, c.relFilters));
    this.e1 = this.child('e1', new MultiWidthCnn(zDim, c.relWidths, c.relFilters));
    this.e2 = this.child('e2', new MultiWidthCnn(zDim, c.relWidths, c.relFilters));
    this.featureDim = 3 * this.mid.outDim + c.maxDistance + 2 * hDim;
    this.hidden = this.child('hidden', new Linear(this.featureDim, c.mlpHidden));
    this.out = this.child('out', new Linear(c.mlpHidden, numLabels));
    this.dropZ = this.child('drop_z', new Dropout(c.dropout));
    this.dropMlp = this.child('drop_mlp', new Dropout(c.dropout));
    const dtype = currentParamDType();
    this.tagTable = keep(cat([eye(numTags, dtype), zeros([1, numTags], dtype)], 0));
  }

  /**
   * The weights files name these parameters `rel_mid.k2.weight`, …, `rel_out.bias` (they were the joint
   * model's own layers once): registered as the child `rel`, the head joins its children's names with '_'.
   */
  override namedParameters(prefix = '', out?: Map<string, Tensor>): Map<string, Tensor> {
    return super.namedParameters(prefix.endsWith('.') ? `${prefix.slice(0, -1)}_` : prefix, out);
  }

  /**
   * Relation scores W_2 · ReLU(W_1 · f) (Eq. 2 before the softmax) for arbitrary pairs: [P, |R|].
   * `h` [B, T, 2H] from the encoder; `lengths` [B]; each pair reads h row `pairs.sent[p]` and the one-hots
   * of `pairs.tagSeq[p]` (so several tag sequences of one sentence can share one encoder pass).
   */
  logits(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor {
    if (pairs.count === 0) return zeros([0, this.numLabels], h.dtype);
    return this.out.forward(this.dropMlp.forward(this.firstLayer(this.parts(h, lengths, pairs)).relu()));
  }

  /** f_{e1,e2} = [f_mid, f_e1, f_e2, f_dist, f_left, f_right] for every pair: [P, featureDim]. */
  features(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor {
    if (pairs.count === 0) return zeros([0, this.featureDim], h.dtype);
    const { mid, e1, e2, dist, left, right } = this.parts(h, lengths, pairs);
    const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
    const perPair = (b: FeatureBlock) => b.f.indexSelect(0, i64(b.of));
    const fDist = oneHot(i64(dist), this.config.maxDistance).to(h.dtype);
    return cat([perPair(mid), perPair(e1), perPair(e2), fDist, perPair(left), perPair(right)], 1);
  }

  /**
   * The blocks of f, each computed once per DISTINCT input (pairs.ts): the CNN features of the segments
   * (an entity is e1 or e2 of several pairs; MRT's members share most entities and middles), and the
   * LSTM-minus contexts, which depend on (sentence, start(e1)) and (sentence, end(e2)) only.
   */
  private parts(h: Tensor, lengths: Int32Array, pairs: PairSet): RelationParts {
    const [B, T, H2] = h.shape;
    const H = H2 / 2;
    const idx = relationIndex(pairs, T, lengths, this.numTags, this.config.maxDistance);
    const hf = cat([h.reshape([B * T, H2]), zeros([1, H2], h.dtype)], 0); // zero row Z = B·T
    const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
    // z_i = h_i ⊕ v_i (v_i one-hot of t_i): one row per distinct (sentence, i, t_i) + a zero row
    const z = cat([hf.indexSelect(0, i64(idx.zH)), this.tagTable.indexSelect(0, i64(idx.zTag))], 1);
    // Dropout on z draws one mask per z row, shared by the three CNNs (the authors draw one per padded
    // segment of every pair); it is what lets the CNNs read all pairs from per-row products (conv.ts).
    // A z row or a segment read by several pairs or tag sequences (MRT's members agree on most tokens)
    // is ONE network evaluation used by each of them, so they share its mask as well.
    const zDrop = this.dropZ.forward(z);
    const segments = (cnn: MultiWidthCnn, s: SegmentIndex): FeatureBlock => ({ f: cnn.forwardSpans(zDrop, idx.layout, s.start, s.length), of: s.of });
    // (→h_a − →h_b) ⊕ (←h_c − ←h_d) per distinct context; an absent term reads the zero row
    const half = (from: number, plus: Int32Array, minus: Int32Array) =>
      hf.narrow(1, from, H).indexSelect(0, i64(plus)).sub(hf.narrow(1, from, H).indexSelect(0, i64(minus)));
    const side = (c: ContextIndex): FeatureBlock => ({ f: cat([half(0, c.fPlus, c.fMinus), half(H, c.wPlus, c.wMinus)], 1), of: c.of });
    const left = side(idx.left);
    return {
      mid: segments(this.mid, idx.mid),
      e1: segments(this.e1, idx.e1),
      e2: segments(this.e2, idx.e2),
      dist: idx.dist,
      left,
      right: this.config.fixRightContext ? side(idx.right) : left, // the authors' code: f_left twice
    };
  }

  /**
   * W_1 · f + b_1 for every pair [P, mlpHidden], without building f: W_1 · f is the sum over f's blocks of
   * W_block · f_block, and each product is computed once per distinct input of its block, then every
   * pair adds its six rows (f_dist is a one-hot: its product is a column of W_1).
   */
  private firstLayer({ mid, e1, e2, dist, left, right }: RelationParts): Tensor {
    const W = this.hidden.weight; // [mlpHidden, |f|], columns in f's order
    const n = W.size(0);
    const P = dist.length;
    const columns = (from: number, width: number) => W.narrow(1, from, width).transpose(0, 1);
    const product = (b: FeatureBlock, col: number): [Tensor, Int32Array] => [b.f.matmul(columns(col, b.f.size(1))), b.of];
    const [F, D, C] = [mid.f.size(1), this.config.maxDistance, left.f.size(1)];
    const blocks: [Tensor, Int32Array][] = [product(mid, 0), product(e1, F), product(e2, 2 * F), [columns(3 * F, D), dist], product(left, 3 * F + D), product(right, 3 * F + D + C)];
    const rows = new Int32Array(blocks.length * P);
    let first = 0;
    blocks.forEach(([table, of], k) => {
      for (let p = 0; p < P; p++) rows[k * P + p] = first + of[p];
      first += table.size(0);
    });
    const products = cat(blocks.map(([table]) => table), 0).indexSelect(0, tensor(rows, { dtype: 'int64' }));
    return products.reshape([blocks.length, P, n]).sum(0).add(this.hidden.bias);
  }
}
