import { cat, embedding, randNormal, tensor, zeros, type Tensor } from '../../tensor/index.js';
import { currentParamDType, initSkipped, Module } from './module.js';

/**
 * Lookup table [num, dim]. Default init N(0, 1) with the PAD row (id 0) zero (spec §2.9); PAD gets no
 * gradient. `initial` overrides the init (GloVe words, model/glove.ts).
 */
export class Embedding extends Module {
  readonly weight: Tensor;
  constructor(
    readonly num: number,
    readonly dim: number,
    initial?: Float32Array,
  ) {
    super();
    let w: Tensor;
    if (initial) {
      if (initial.length !== num * dim) throw new Error(`Embedding: initial matrix has ${initial.length} values, expected ${num * dim}`);
      w = tensor(initial, { shape: [num, dim], dtype: currentParamDType() });
    } else if (initSkipped()) w = zeros([num, dim], currentParamDType());
    else {
      const init = randNormal([num, dim]).toFloat32Array();
      init.fill(0, 0, dim);
      w = tensor(init, { shape: [num, dim], dtype: currentParamDType() });
    }
    this.weight = this.param('weight', w);
  }

  /**
   * ids: int64 tensor of any shape → [...shape, dim]. `extra` [K, dim] (no gradient) serves ids
   * num … num+K−1: the inference-time extended vocabulary (model/glove.ts).
   */
  forward(ids: Tensor, extra?: Tensor): Tensor {
    const table = extra ? cat([this.weight, extra.to(this.weight.dtype)], 0) : this.weight;
    return embedding(table, ids, 0);
  }
}
