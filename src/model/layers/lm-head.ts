import type { Tensor } from '../../tensor/index.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/**
 * One direction's language-model head (Rei 2017, "Semi-supervised multitask learning for sequence
 * labeling"): the word after (forward states) or before (backward states) each token, predicted from that
 * direction's BiLSTM state alone, through tanh(W_m · →h_i) → Linear → the training words. A training-only
 * auxiliary objective: inference never reads it.
 */
export class LmHead extends Module {
  readonly hidden: Linear;
  readonly out: Linear;
  constructor(inFeatures: number, hiddenSize: number, words: number) {
    super();
    this.hidden = this.child('hidden', new Linear(inFeatures, hiddenSize));
    this.out = this.child('out', new Linear(hiddenSize, words));
  }
  /** [N, in] states → [N, words] logits. */
  forward(states: Tensor): Tensor {
    return this.out.forward(this.hidden.forward(states).tanh());
  }
}
