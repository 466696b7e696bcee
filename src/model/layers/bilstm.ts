/**
 * One-layer bidirectional LSTM (spec §2.3): ONE call to libtorch's fused LSTM over the padded batch with
 * its lengths (packed path: padded outputs are 0, the backward direction starts at each real end).
 * Weights are named as in PyTorch (`weight_ih_l0`, …, `_reverse`), all U(±1/√H) (spec §2.9).
 */
import { lstm, type Tensor } from '../../tensor/index.js';
import { Module, uniform } from './module.js';

export class BiLstm extends Module {
  private readonly weights: Tensor[] = [];
  constructor(
    readonly inputSize: number,
    readonly hidden: number,
  ) {
    super();
    const k = 1 / Math.sqrt(hidden);
    for (const sfx of ['', '_reverse']) {
      this.weights.push(
        this.param(`weight_ih_l0${sfx}`, uniform([4 * hidden, inputSize], k)),
        this.param(`weight_hh_l0${sfx}`, uniform([4 * hidden, hidden], k)),
        this.param(`bias_ih_l0${sfx}`, uniform([4 * hidden], k)),
        this.param(`bias_hh_l0${sfx}`, uniform([4 * hidden], k)),
      );
    }
  }
  /** x [B, T, in], lengths [B] (any order) → [B, T, 2H] = [forward_i ; backward_i], contiguous. */
  forward(x: Tensor, lengths: Int32Array): Tensor {
    // The fused LSTM returns a transposed view of its time-major output: one copy here, instead of one in
    // every later reshape and linear layer that reads it.
    return lstm(x, { weights: this.weights, bidirectional: true, batchFirst: true, lengths, training: this.training }).contiguous();
  }
}
