/** The extractor `extract` and `serve` run: one model, or an ensemble when `--model` is given several times. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
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

/**
 * The `--model`s and `--min-votes` of extract, serve, predict and evaluate, checked in the flags' words. A
 * directory named twice (`runs/a` and `runs/a/`, or a link to it) would silently count its votes twice.
 */
export function checkModelFlags(dirs: readonly string[], minVotes: number | undefined): void {
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    const same = seen.get(canonical(dir));
    if (same !== undefined) throw new UserError(`--model ${dir}: the same model directory as --model ${same}; an ensemble's models must differ, or that model's votes count twice`);
    seen.set(canonical(dir), dir);
  }
  if (minVotes === undefined) return;
  if (dirs.length < 2) throw new UserError('--min-votes needs several models (--model A --model B …)');
  if (minVotes > dirs.length) throw new UserError(`--min-votes ${minVotes}: there are only ${dirs.length} models`);
}

/** The directory's real path; a missing one as written (loading it then says it is missing). */
function canonical(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
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
  return EnsembleExtractor.load(dirs, { ...opts, minVotes: flags.minVotes });
}
