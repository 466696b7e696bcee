/**
 * Character CNN (spec §2.2, paper §3.1 c_i = CNN(char(w_i); θ_c)): char embedding (50, N(0,1), PAD row 0)
 * → dropout → widths {2,3} × 25 wide convolutions → ReLU → max-pool over the token's real characters
 * (padding ignored, see conv.ts) → 50 dimensions.
 */
import { cat, tensor, type Tensor } from '../../tensor/index.js';
import { MultiWidthCnn } from './conv.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Module } from './module.js';

export class CharCnn extends Module {
  readonly emb: Embedding;
  readonly cnn: MultiWidthCnn;
  readonly drop: Dropout;
  readonly outDim: number;
  constructor(numChars: number, charDim: number, widths: number[], filters: number, dropout: number) {
    super();
    this.emb = this.child('emb', new Embedding(numChars, charDim));
    this.cnn = this.child('cnn', new MultiWidthCnn(charDim, widths, filters));
    this.drop = this.child('drop', new Dropout(dropout));
    this.outDim = this.cnn.outDim;
  }

  /** chars [N·W] ids (PAD-padded rows of width W), lens [N] → [N, outDim]. */
  forward(chars: Int32Array, lens: Int32Array, W: number): Tensor {
    if (!this.training) return this.forwardDistinct(chars, lens, W);
    const N = lens.length;
    const ids = tensor(chars, { dtype: 'int64', shape: [N, W] });
    const x = this.drop.forward(this.emb.forward(ids)); // [N, W, charDim]
    return this.cnn.forward(x, lens);
  }

  /**
   * Inference (no dropout, so a token's features depend on its characters alone): each distinct token of
   * the batch once, in groups of similar length, each padded only to its own longest token. A batch of
   * 128 sentences repeats most of its tokens, and one long token no longer widens every row. Same values
   * as the padded convolution (pooling ignores padding; padding rows are zero either way).
   */
  private forwardDistinct(chars: Int32Array, lens: Int32Array, W: number): Tensor {
    const N = lens.length;
    const seen = new Map<string, number>();
    const distinct: number[] = []; // first row of each distinct token
    const which = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      const key = chars.subarray(i * W, i * W + lens[i]).join(',');
      let u = seen.get(key);
      if (u === undefined) seen.set(key, (u = distinct.push(i) - 1));
      which[i] = u;
    }
    const order = Int32Array.from(distinct.keys()).sort((a, b) => lens[distinct[a]] - lens[distinct[b]]);
    const slot = new Int32Array(distinct.length); // distinct token → row of the concatenated group outputs
    const outs: Tensor[] = [];
    for (let from = 0; from < order.length; ) {
      const shortest = Math.max(1, lens[distinct[order[from]]]);
      let to = from + 1;
      while (to < order.length && lens[distinct[order[to]]] <= 2 * shortest) to++;
      const Wg = Math.max(1, lens[distinct[order[to - 1]]]);
      const ids = new Int32Array((to - from) * Wg);
      const gl = new Int32Array(to - from);
      for (let g = 0; g < to - from; g++) {
        const row = distinct[order[from + g]];
        gl[g] = lens[row];
        ids.set(chars.subarray(row * W, row * W + Math.min(Wg, W)), g * Wg);
        slot[order[from + g]] = from + g;
      }
      outs.push(this.cnn.forward(this.emb.forward(tensor(ids, { dtype: 'int64', shape: [to - from, Wg] })), gl));
      from = to;
    }
    const all = outs.length === 1 ? outs[0] : cat(outs, 0);
    return all.indexSelect(0, tensor(Int32Array.from(which, (u) => slot[u]), { dtype: 'int64' }));
  }
}
