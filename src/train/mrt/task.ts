/**
 * The MRT phase (paper §3.4): start from a pretrained NN model (`--init`), fresh optimiser state, and
 * minimise L̃ + L_mrt with the shared loop (same model selection, logging, checkpoints and resume).
 *
 * Per batch:
 *   1. P_ent(· | s) in eval mode, outside the gradient — the proposal Algorithm 1 samples from (the
 *      authors' code also samples from the eval-mode distribution, spec §3.3.3);
 *   2. one train-mode encoder pass, shared by L̃ (scheduled sampling with the MRT epoch counter, as the
 *      authors' code restarts it, spec §2.8) and by every member of every Y′(s). The authors run a fresh
 *      forward pass with new dropout masks per member; sharing one pass is what makes K samples cheap.
 */
import { buildBatch } from '../../model/encode.js';
import { noGrad, tidy } from '../../tensor/index.js';
import { UserError } from '../../errors.js';
import type { TrainConfig } from '../config.js';
import { runTraining, type TrainOptions, type TrainResult, type TrainTask } from '../loop.js';
import { buildNNSetup, initFromModelDir, nnTask, type NNSetup } from '../nn.js';
import { drawMembers, mrtObjective } from './objective.js';

export function mrtTask(s: NNSetup): TrainTask {
  const { config, model } = s;
  const base = nnTask(s);
  return {
    ...base,
    batchLoss(indices, ctx) {
      const batch = buildBatch(indices.map((i) => s.train[i]), s.vocab.words.size);
      model.eval();
      const probs = noGrad(() => tidy(() => model.encode(batch).emissions.softmax(2).toFloat64Array()));
      model.train(true);
      const members = drawMembers(batch, probs, model.numTags, ctx.rng, config.mrt);
      const enc = model.encode(batch);
      const local = model.localLoss(batch, { epoch: ctx.epoch, rng: ctx.rng, scheduleK: config.scheduleK, encoded: enc });
      const mrt = mrtObjective(model, batch, enc, members, ctx.rng, config.mrt);
      return {
        loss: local.loss.add(mrt.loss), // L̃ + L_mrt (§3.4)
        parts: { ent: local.entLoss, rel: local.relLoss, risk: mrt.risk, hinge: mrt.hinge },
        pairs: local.pairs + mrt.pairs,
      };
    },
  };
}

/** `entrel train --init DIR`: MRT fine-tuning of a pretrained model into `outDir`. */
export async function trainMRT(config: TrainConfig, outDir: string, opts: TrainOptions = {}): Promise<TrainResult> {
  if (!config.init) throw new UserError('MRT starts from a pretrained model: pass --init DIR (a model directory from `entrel train`)');
  const setup = await buildNNSetup(config);
  initFromModelDir(setup, config.init);
  return runTraining(mrtTask(setup), config, outDir, 'mrt', opts);
}
