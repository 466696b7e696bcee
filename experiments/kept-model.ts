/**
 * Which model of a run the experiments score and continue from: `best/` (chosen on dev), or — with
 * keep = last, when dev is inside the training data — `final/`, the last epoch's model, written by
 * writeFinalModel (`last/` is a resumable checkpoint, not a model directory).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeModelFiles } from '../src/model/io.js';
import { writeDirAtomic } from '../src/data/atomic.js';
import type { DevScores } from '../src/train/loop.js';
import type { NNSetup } from '../src/train/nn.js';

export type Keep = 'last';

export const keptModelDir = (runDir: string, keep?: Keep): string => join(runDir, keep === 'last' ? 'final' : 'best');

/** Writes the setup's model as the run's `final/` (after runTraining: the last epoch's weights, trained now or restored). */
export function writeFinalModel(runDir: string, s: NNSetup, epochs: number): Promise<void> {
  return writeDirAtomic(join(runDir, 'final'), "the last epoch's model", (tmp) => writeModelFiles(tmp, s.model, s.schema, { lastOf: epochs }));
}

/**
 * The epoch and dev scores of the model a run kept as best/: the last `epoch` or `validation` line of its
 * log marked best (with `validateEvery`, a score taken within an epoch can be it).
 */
export function keptScores(runDir: string): { epoch: number; dev: DevScores } {
  const lines = readFileSync(join(runDir, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; epoch: number; dev: DevScores; best?: boolean });
  const kept = lines.filter((r) => (r.type === 'epoch' || r.type === 'validation') && r.best).pop();
  if (!kept) throw new Error(`${runDir}: its log marks no model as best`);
  return { epoch: kept.epoch, dev: kept.dev };
}
