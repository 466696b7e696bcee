/**
 * The `last/` checkpoint of a training run: everything needed to continue exactly where it stopped.
 *
 *   last/weights.safetensors    the parameters, by their stable names
 *   last/optimizer.safetensors  the optimiser buffers (metadata: kind, per-parameter steps)
 *   last/state.json             epochs done, best score, both RNG states, log offset, curve history
 *
 * Written as one directory swap (atomic.ts), so a kill at any moment leaves a complete checkpoint.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { NamedParameters } from '../model/types.js';
import { loadSafetensors, noGrad, saveSafetensors, type Tensor } from '../tensor/index.js';
import { recoverDir, writeDirAtomic } from '../data/atomic.js';
import type { TrainConfig } from './config.js';
import type { EpochRecord } from './log.js';
import type { OptimizerState } from './optim.js';

export const CHECKPOINT_VERSION = 1;

export interface RunState {
  version: number;
  /** 'nn' or 'mrt': a checkpoint only resumes the kind of run that wrote it. */
  kind: string;
  /** Epochs completed. */
  epoch: number;
  /** Best dev relation F1 so far; −1 before the first epoch, so the first epoch always writes best/. */
  bestScore: number;
  /** 1-based epoch of the best dev score (0 = none yet). */
  bestEpoch: number;
  /** pure-rand state of the trainer's stream. */
  rng: number[];
  /** libtorch generator state, base64. */
  torchRng: string;
  /** Byte length of train.log.jsonl at this checkpoint. */
  logOffset: number;
  /** Wall-clock seconds of training and evaluation so far (across resumes). */
  elapsed: number;
  /** `elapsed` at the end of the best epoch. */
  secondsToBest: number;
  /** Set when the run ended (epoch budget or early stopping); a resume with a larger budget goes on. */
  finished: boolean;
  history: EpochRecord[];
  /** The run's configuration; a resume must use the same (budget aside). */
  config: TrainConfig;
}

export async function saveCheckpoint(dir: string, params: NamedParameters, opt: OptimizerState, state: RunState): Promise<void> {
  await writeDirAtomic(dir, 'the checkpoint', (tmp) => {
    saveSafetensors(join(tmp, 'weights.safetensors'), Object.fromEntries(params));
    saveSafetensors(join(tmp, 'optimizer.safetensors'), opt.tensors, opt.meta);
    writeFileSync(join(tmp, 'state.json'), JSON.stringify(state, null, 1) + '\n');
  }, LAST_CHECKPOINT_KEPT);
}

/** What a failed checkpoint or best-model write leaves: the run can resume from the previous one. */
export const LAST_CHECKPOINT_KEPT = 'the last complete checkpoint is kept';

export function hasCheckpoint(dir: string): boolean {
  recoverDir(dir, 'the checkpoint');
  return existsSync(join(dir, 'state.json'));
}

/** Reads a checkpoint and copies its weights into `params`; returns the optimiser state and run state. */
export function loadCheckpoint(dir: string, params: NamedParameters, kind: string): { opt: OptimizerState; state: RunState } {
  recoverDir(dir, 'the checkpoint');
  const file = join(dir, 'state.json');
  let state: RunState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as RunState;
  } catch (e) {
    throw new UserError(`cannot read the checkpoint: ${(e as Error).message}`, { file });
  }
  if (state.version !== CHECKPOINT_VERSION)
    throw new UserError(`checkpoint version ${state.version}, this entrel reads version ${CHECKPOINT_VERSION}`, { file });
  if (state.kind !== kind) throw new UserError(`this is a checkpoint of a ${state.kind} run, not of a ${kind} run`, { file });
  const weights = loadSafetensors(join(dir, 'weights.safetensors')).tensors;
  copyInto(params, weights, join(dir, 'weights.safetensors'));
  const o = loadSafetensors(join(dir, 'optimizer.safetensors'));
  return { opt: { tensors: o.tensors, meta: o.metadata }, state };
}

/** Copies tensors into same-named parameters, refusing any missing name or shape mismatch. */
export function copyInto(params: NamedParameters, src: Record<string, Tensor>, file: string): void {
  for (const [name, p] of params) {
    const t = src[name];
    if (!t) throw new UserError(`parameter ${name} is missing (was the data or the config changed?)`, { file });
    if (t.shape.join() !== p.shape.join())
      throw new UserError(
        `parameter ${name} has shape [${t.shape}] but the model needs [${p.shape}] (was the data or the config changed?)`,
        { file },
      );
  }
  noGrad(() => {
    for (const [name, p] of params) p.copy_(src[name]);
  });
}
