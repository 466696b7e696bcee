/** The extractor `extract` and `serve` run: one model, or an ensemble when `--model` is given several times. */
import { UserError } from '../errors.js';
import { repeatedDirectory } from '../data/dirs.js';
import type { ExtractorLike } from '../extract/types.js';
import { printWarning } from './output.js';

export interface LoadedExtractor extends ExtractorLike {
  readonly maxWorkers: number;
  close(): Promise<void>;
}

interface ModelFlags {
  /** `--model`, repeatable; none: the bundled model. */
  model?: string[];
  minVotes?: number;
  workers?: number;
  batchSize?: number;
}

/**
 * The `--model`s and `--min-votes` of extract, serve, predict and evaluate, checked in the flags' words. A
 * directory named twice (`runs/a` and `runs/a/`, or a link to it) would silently count its votes twice (a
 * copy of one elsewhere is warned of where the models load: `onWarning`).
 */
export function checkModelFlags(dirs: readonly string[], minVotes: number | undefined): void {
  const twice = repeatedDirectory(dirs);
  if (twice)
    throw new UserError(`--model ${dirs[twice[1]]}: the same model directory as --model ${dirs[twice[0]]}; an ensemble's models must differ, or that model's votes count twice`);
  if (minVotes !== undefined) {
    if (dirs.length < 2) throw new UserError('--min-votes needs several models (--model A --model B …)');
    if (minVotes > dirs.length) throw new UserError(`--min-votes ${minVotes}: there are only ${dirs.length} models`);
  }
}

export async function loadExtractor(flags: ModelFlags): Promise<LoadedExtractor> {
  const dirs = flags.model ?? [];
  const opts = { batchSize: flags.batchSize, workers: flags.workers };
  checkModelFlags(dirs, flags.minVotes);
  if (dirs.length < 2) {
    const { Extractor } = await import('../extract/extractor.js');
    return Extractor.load(dirs[0], opts);
  }
  const { EnsembleExtractor } = await import('../extract/ensemble.js');
  return EnsembleExtractor.load(dirs, { ...opts, minVotes: flags.minVotes, onWarning: printWarning });
}
