/** The extractor `extract` and `serve` run: one model, or an ensemble when `--model` is given several times. */
import { UserError } from '../errors.js';
import type { ExtractorLike } from '../extract/types.js';

export interface LoadedExtractor extends ExtractorLike {
  readonly maxWorkers: number;
  close(): Promise<void>;
}

export interface ModelFlags {
  /** `--model`, repeatable; none: the bundled model. */
  model?: string[];
  minVotes?: number;
  workers?: number;
  batchSize?: number;
}

export async function loadExtractor(flags: ModelFlags): Promise<LoadedExtractor> {
  const dirs = flags.model ?? [];
  const opts = { batchSize: flags.batchSize, workers: flags.workers };
  if (dirs.length < 2) {
    if (flags.minVotes !== undefined) throw new UserError('--min-votes needs several models (--model A --model B …)');
    const { Extractor } = await import('../extract/extractor.js');
    return Extractor.load(dirs[0], opts);
  }
  const { EnsembleExtractor } = await import('../extract/ensemble.js');
  return EnsembleExtractor.load(dirs, { ...opts, minVotes: flags.minVotes });
}
