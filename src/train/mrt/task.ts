/**
 * The MRT phase (paper §3.4): start from a pretrained NN model (`--init`), fresh optimiser state, and
 * minimise L̃ + L_mrt with the shared loop (same model selection, logging, checkpoints and resume).
 *
 * Per batch, ONE train-mode encoder pass is shared by everything:
 *   - the proposal P_ent(· | s) that Algorithm 1 samples from is its detached tag softmax (`mrt.proposal`
 *     "train": sampling under the batch's dropout mask costs nothing extra and only adds proposal noise,
 *     on top of ε-greedy's); "eval" runs the authors' separate eval-mode pass without gradient for it
 *     (spec §3.3.3), which draws no random numbers, so the rest of the batch is as with "train";
 *   - L̃ (scheduled sampling with the MRT epoch counter, as the authors' code restarts it, spec §2.8);
 *   - every member of every Y′(s): the authors run a fresh forward pass per member and sentence.
 */
import { buildBatch } from '../../model/encode.js';

import { UserError } from '../../errors.js';
import { checkedConfig } from '../config.js';
import type { TrainConfig, TrainConfigInput } from '../config-schema.js';
import { checkRunStart, runTraining, type TrainOptions, type TrainResult, type TrainTask } from '../loop.js';
import { buildSetupFrom, localLossOptions, nnTask, type NNSetup } from '../nn.js';
import { shortModelName } from '../provenance.js';
import { drawMembers, mrtObjective, mrtProposal } from './objective.js';

export function mrtTask(setup: NNSetup): TrainTask {
  const { config, model } = setup;
  const m = config.mrt;
  const risk = [m.gamma && 'Γ', m.delta !== 'none' && `Δ_${m.delta}`].filter(Boolean).join(' + ');
  const base = nnTask(setup, `MRT (${risk}, α ${m.alpha}, μ ${m.mu}, K ${m.K}) from ${shortModelName(config.init ?? '')}`);
  return {
    ...base,
    batchLoss(indices, ctx) {
      const batch = buildBatch(indices.map((i) => setup.train[i]), setup.vocab.words.size);
      const enc = model.encode(batch);
      const members = drawMembers(batch, mrtProposal(model, batch, enc.emissions, m.proposal), model.grammar, ctx.rng, config.mrt);
      const local = model.localLoss(batch, { ...localLossOptions(config, ctx), encoded: enc });
      const mrt = mrtObjective(model, batch, enc, members, ctx.rng, config.mrt);
      return {
        loss: local.loss.add(mrt.loss.mul(config.mrt.weight)), // L̃ + λ·L_mrt (§3.4: λ = 1)
        parts: { ent: local.entLoss, rel: local.relLoss, ...(local.lmLoss && { lm: local.lmLoss }), risk: mrt.risk, hinge: mrt.hinge },
        pairs: local.pairs + mrt.pairs,
      };
    },
  };
}

/** `entrel train --init DIR`: MRT fine-tuning of a pretrained model into `outDir`. */
export async function trainMRT(input: TrainConfig | TrainConfigInput, outDir: string, opts: TrainOptions = {}): Promise<TrainResult> {
  const config = checkedConfig(input, 'config', true);
  if (!config.init) throw new UserError('MRT starts from a pretrained model: pass --init DIR (a model directory from `entrel train`)');
  checkRunStart(config, outDir, opts);
  // MRT continues the --init model: its settings and weights, with a fresh optimiser (paper §3.4)
  const setup = await buildSetupFrom(config, config.init, opts);
  return runTraining(mrtTask(setup), setup.config, outDir, 'mrt', opts);
}
