/**
 * Which model of a run the experiments score and continue from: `best/` (chosen on dev), or — with
 * keep = last, when dev is inside the training data — `final/`, the last epoch's model, written by
 * writeFinalModel (`last/` is a resumable checkpoint, not a model directory).
 */
import { join } from 'node:path';
import { writeModelFiles } from '../src/model/io.js';
import { writeDirAtomic } from '../src/data/atomic.js';
import type { NNSetup } from '../src/train/nn.js';

export type Keep = 'last';

export const keptModelDir = (runDir: string, keep?: Keep): string => join(runDir, keep === 'last' ? 'final' : 'best');

/** Writes the setup's model as the run's `final/` (after runTraining: the last epoch's weights, trained now or restored). */
export function writeFinalModel(runDir: string, s: NNSetup, epochs: number): Promise<void> {
  return writeDirAtomic(join(runDir, 'final'), "the last epoch's model", (tmp) => writeModelFiles(tmp, s.model, s.schema, { lastOf: epochs }));
}
