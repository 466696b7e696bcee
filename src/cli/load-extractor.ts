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

/** `--min-votes` against the number of `--model`s (extract, serve, predict, evaluate), in the flags' words. */
export function checkMinVotes(models: number, minVotes: number | undefined): void {
  if (minVotes === undefined) return;
  if (models < 2) throw new UserError('--min-votes needs several models (--model A --model B …)');
  if (minVotes > models) throw new UserError(`--min-votes ${minVotes}: there are only ${models} models`);
}

export async function loadExtractor(flags: ModelFlags): Promise<LoadedExtractor> {
  const dirs = flags.model ?? [];
  const opts = { batchSize: flags.batchSize, workers: flags.workers };
  checkMinVotes(dirs.length, flags.minVotes);
  if (dirs.length < 2) {
    const { Extractor } = await import('../extract/extractor.js');
    return Extractor.load(dirs[0], opts);
  }
  const { EnsembleExtractor } = await import('../extract/ensemble.js');
  return EnsembleExtractor.load(dirs, { ...opts, minVotes: flags.minVotes });
}
