import { linear, type Tensor } from '../../tensor/index.js';
import { Module, uniform } from './module.js';

/** y = x Wᵀ + b; W [out, in], b [out], both U(±1/√in) (spec §2.9). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
  ) {
    super();
    const k = 1 / Math.sqrt(inFeatures);
    this.weight = this.param('weight', uniform([outFeatures, inFeatures], k));
    this.bias = this.param('bias', uniform([outFeatures], k));
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
