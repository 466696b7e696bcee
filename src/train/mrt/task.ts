/**
 * The MRT phase (paper §3.4): start from a pretrained NN model (`--init`), fresh optimiser state, and
 * minimise L̃ + L_mrt with the shared loop (same model selection, logging, checkpoints and resume).
 *
 * Per batch, ONE train-mode encoder pass is shared by everything:
 *   - the proposal P_ent(· | s) that Algorithm 1 samples from is its detached tag softmax (the authors
 *     run a separate eval-mode pass for it, spec §3.3.3; sampling under the batch's dropout mask costs
 *     nothing extra and only adds proposal noise, on top of ε-greedy's);
 *   - L̃ (scheduled sampling with the MRT epoch counter, as the authors' code restarts it, spec §2.8);
 *   - every member of every Y′(s): the authors run a fresh forward pass per member and sentence.
 */
import { buildBatch } from '../../model/encode.js';
import { noGrad } from '../../tensor/index.js';
import { UserError } from '../../errors.js';
import { loadModelDir } from '../../model/io.js';
import type { ModelConfig } from '../../model/types.js';
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
      const enc = model.encode(batch);
      const probs = noGrad(() => enc.emissions.detach().softmax(2).toFloat64Array());
      const members = drawMembers(batch, probs, model.numTags, ctx.rng, config.mrt);
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
  const setup = await buildNNSetup(withInitModel(config, config.init, opts.quiet));
  initFromModelDir(setup, config.init);
  return runTraining(mrtTask(setup), setup.config, outDir, 'mrt', opts);
}

/** MRT continues the --init model, so its model settings (architecture, decoder) are that model's. */
function withInitModel(config: TrainConfig, init: string, quiet?: boolean): TrainConfig {
  const model = loadModelDir(init).model.config;
  const differing = (Object.keys(model) as (keyof ModelConfig)[]).filter((k) => JSON.stringify(model[k]) !== JSON.stringify(config.model[k]));
  if (differing.length && !quiet)
    process.stderr.write(`entrel: MRT uses the model settings of ${init}: ${differing.map((k) => `model.${k}=${JSON.stringify(model[k])}`).join(', ')} (the config says ${differing.map((k) => JSON.stringify(config.model[k])).join(', ')})\n`);
  return { ...config, model: { ...model } };
}
