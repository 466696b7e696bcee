/**
 * Character CNN (spec §2.2, paper §3.1 c_i = CNN(char(w_i); θ_c)): char embedding (50, N(0,1), PAD row 0)
 * → dropout → widths {2,3} × 25 wide convolutions → ReLU → max-pool over the token's real characters
 * (padding ignored, see conv.ts) → 50 dimensions.
 */
import { cat, tensor, zeros, type Tensor } from '../../tensor/index.js';
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
   * the batch once (a batch repeats most of its tokens), through `MultiWidthCnn.forwardSpans` over the
   * char embedding table: the filters' tap products are computed once per character of the alphabet,
   * and every window of every token is a sum of looked-up rows, instead of a convolution over each
   * token's embedded characters. Same values as the padded convolution up to float rounding (pooling
   * ignores padding either way).
   */
  private forwardDistinct(chars: Int32Array, lens: Int32Array, W: number): Tensor {
    const N = lens.length;
    const seen = new Map<string, number>();
    const which = new Int32Array(N); // token → its distinct token
    const start: number[] = [];
    const length: number[] = [];
    const layout: number[] = []; // the distinct tokens' char ids, one after the other
    for (let i = 0; i < N; i++) {
      const ids = chars.subarray(i * W, i * W + lens[i]);
      const key = ids.join(',');
      let u = seen.get(key);
      if (u === undefined) {
        seen.set(key, (u = start.length));
        start.push(layout.length);
        length.push(ids.length);
        for (const c of ids) layout.push(c);
      }
      which[i] = u;
    }
    const table = cat([this.emb.weight, zeros([1, this.emb.dim], this.emb.weight.dtype)], 0); // last row zero
    const features = this.cnn.forwardSpans(table, Int32Array.from(layout), Int32Array.from(start), Int32Array.from(length));
    return features.indexSelect(0, tensor(which, { dtype: 'int64' }));
  }
}
