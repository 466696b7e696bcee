/**
 * Bidirectional LSTM (spec §2.3: one layer; `layers` > 1 stacks more, not in the paper): ONE call to
 * libtorch's fused LSTM over the padded batch with its lengths (packed path: padded outputs are 0, the
 * backward direction starts at each real end). Between stacked layers libtorch applies `dropout` in
 * training. Weights are named as in PyTorch (`weight_ih_l0`, …, `_reverse`, `weight_ih_l1`, …), all
 * U(±1/√H) (spec §2.9); a layer above the first reads both directions of the one below (2H inputs).
 */
import { lstm, type Tensor } from '../../tensor/index.js';
import { Module, uniform } from './module.js';

export class BiLstm extends Module {
  private readonly weights: Tensor[] = [];
  constructor(
    readonly inputSize: number,
    readonly hidden: number,
    readonly layers = 1,
    readonly dropout = 0,
  ) {
    super();
    const k = 1 / Math.sqrt(hidden);
    // libtorch's flat-weight order: layer by layer, forward then reverse, [w_ih, w_hh, b_ih, b_hh] each.
    for (let l = 0; l < layers; l++) {
      const inputs = l === 0 ? inputSize : 2 * hidden;
      for (const sfx of ['', '_reverse']) {
        this.weights.push(
          this.param(`weight_ih_l${l}${sfx}`, uniform([4 * hidden, inputs], k)),
          this.param(`weight_hh_l${l}${sfx}`, uniform([4 * hidden, hidden], k)),
          this.param(`bias_ih_l${l}${sfx}`, uniform([4 * hidden], k)),
          this.param(`bias_hh_l${l}${sfx}`, uniform([4 * hidden], k)),
        );
      }
    }
  }
  /** x [B, T, in], lengths [B] (any order) → [B, T, 2H] = [forward_i ; backward_i], contiguous. */
  forward(x: Tensor, lengths: Int32Array): Tensor {
    // The fused LSTM returns a transposed view of its time-major output: one copy here, instead of one in
    // every later reshape and linear layer that reads it.
    return lstm(x, {
      weights: this.weights,
      bidirectional: true,
      batchFirst: true,
      lengths,
      training: this.training,
      numLayers: this.layers,
      dropout: this.layers > 1 ? this.dropout : 0,
    }).contiguous();
  }
}
