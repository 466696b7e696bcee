import { dropout, type Tensor } from '../../tensor/index.js';
import { Module } from './module.js';

/** Inverted dropout, active only in train mode. */
export class Dropout extends Module {
  constructor(readonly p: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.p > 0 && this.training ? dropout(x, this.p, true) : x;
  }
}
