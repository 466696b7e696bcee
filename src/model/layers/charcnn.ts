/**
 * Character CNN (spec §2.2, paper §3.1 c_i = CNN(char(w_i); θ_c)): char embedding (50, N(0,1), PAD row 0)
 * → dropout → widths {2,3} × 25 wide convolutions → ReLU → max-pool over the token's real characters
 * (padding ignored, see conv.ts) → 50 dimensions.
 */
import { tensor, type Tensor } from '../../tensor/index.js';
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
    const N = lens.length;
    const ids = tensor(chars, { dtype: 'int64', shape: [N, W] });
    const x = this.drop.forward(this.emb.forward(ids)); // [N, W, charDim]
    return this.cnn.forward(x, lens);
  }
}
