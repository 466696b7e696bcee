/**
 * How many model worker threads an Extractor may use: the `workers` option, else `ENTREL_WORKERS`, else
 * min(2, available cores). 0 means every batch runs on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { described, UserError } from '../errors.js';

/** Inputs with fewer sentences than this run on the calling thread while no worker is running yet. */
export const POOL_MIN_SENTENCES = 128;

export const DEFAULT_MAX_WORKERS = 2;

/** Most worker threads accepted: each holds a copy of the model (~100 MB), so a typo of 10⁹ must not start. */
export const MAX_WORKERS = 64;

export function resolveWorkers(option: number | undefined): number {
  if (option !== undefined) {
    if (!(Number.isInteger(option) && option >= 0 && option <= MAX_WORKERS))
      throw new UserError(`must be an integer from 0 to ${MAX_WORKERS}, got ${described(option)}`, { field: 'workers' });
    return option;
  }
  const env = process.env.ENTREL_WORKERS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!(/^\d+$/.test(env.trim()) && Number.isInteger(n) && n <= MAX_WORKERS))
      throw new UserError(`must be an integer from 0 to ${MAX_WORKERS}, got "${env}"`, { field: 'ENTREL_WORKERS' });
    return n;
  }
  return Math.min(DEFAULT_MAX_WORKERS, availableParallelism());
}
