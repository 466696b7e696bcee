/** Trains a tiny model (no GloVe) on 20 synthetic sentences until it fits them exactly (or gives up). */
import type { JointModel } from '../../src/model/joint.js';
import type { ModelConfig } from '../../src/model/types.js';
import { clipGradNorm, tidy } from '../../src/tensor/index.js';
import { Adam } from '../../src/train/optim.js';
import { seededRng, strictF1 } from './fixtures.js';
import { tinyJointModel } from './tiny-joint.js';

export interface TinyFit {
  model: JointModel;
  /** Train-set strict F1 at the last check (every 10 epochs). */
  scores: { ent: number; rel: number };
  epochs: number;
  ms: number;
}

/** At most 400 full-batch Adam steps, stopping at F1 = 1.0 or once `deadlineMs` has passed. */
export function fitTinyModel(deadlineMs = Infinity, config: Partial<ModelConfig> = {}): TinyFit {
  const { model, batch, train } = tinyJointModel({
    torchSeed: 7, train: [20, 3], initSeed: 1, training: true,
    config: { wordDim: 16, charDim: 8, charFilters: 4, lstmHidden: 16, relFilters: 8, mlpHidden: 32, dropout: 0.1, maxDistance: 10, ...config },
  });
  const params = model.parameters();
  const opt = new Adam(params, { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const rng = seededRng(5);
  const t0 = Date.now();
  let scores = { ent: 0, rel: 0 };
  let epoch = 0;
  for (; epoch < 400 && Date.now() - t0 < deadlineMs; epoch++) {
    model.train();
    tidy(() => {
      opt.zeroGrad();
      const l = model.localLoss(batch, { epoch, rng });
      l.loss.backward();
      clipGradNorm([...params.values()], 5);
      opt.step();
    });
    if (epoch % 10 === 9) {
      scores = strictF1(train, model.predict(batch));
      if (scores.ent === 1 && scores.rel === 1) break;
    }
  }
  return { model, scores, epochs: epoch + 1, ms: Date.now() - t0 };
}
