/**
 * How many model worker threads an Extractor may use: the `workers` option, else `ENTREL_WORKERS`, else
 * min(2, available cores). 0 means every batch runs on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { described, envCount, UserError } from '../errors.js';

/** Inputs with fewer sentences than this run on the calling thread while no worker is running yet. */
export const POOL_MIN_SENTENCES = 128;

const DEFAULT_MAX_WORKERS = 2;

/** Most worker threads accepted: each holds a copy of the model (~100 MB), so a typo of 10⁹ must not start. */
export const MAX_WORKERS = 64;

export function resolveWorkers(option: number | undefined): number {
  if (option !== undefined) {
    if (!(Number.isInteger(option) && option >= 0 && option <= MAX_WORKERS))
      throw new UserError(`must be an integer from 0 to ${MAX_WORKERS}, got ${described(option)}`, { field: 'workers' });
    return option;
  }
  return envCount('ENTREL_WORKERS', 0, MAX_WORKERS) ?? Math.min(DEFAULT_MAX_WORKERS, availableParallelism());
}
