/**
 * Runs planned batches (batches.ts) through the model and puts each sentence's prediction at its index:
 * - on this thread, one batch at a time, giving the event loop a turn between batches, for as long as
 *   the worker pool is not ready (not wanted, or still starting: a large first input does not wait for
 *   the workers, it hands its remaining batches over when they are ready);
 * - then through the pool, keeping two batches in flight per worker (one computing, one queued, so a
 *   worker never waits for this thread), encoding each batch just before it is sent, so that encoding
 *   here overlaps with the model in the workers.
 * An aborted signal stops new batches from starting (the workers also skip the call's batches queued
 * for them, so at most the one each is computing finishes); the call then rejects with the signal's reason.
 * This scheduling (the pool, yielding to the event loop, aborts) is why extraction does not run its batches
 * with model/predict.ts's predictEncoded, which evaluation and dev scoring use; the batch plan is shared.
 */
import type { Batch } from '../model/encode.js';
import type { SentencePrediction } from '../model/types.js';

/** What runBatches needs of the worker pool (pool/pool.ts). */
export interface BatchPool {
  readonly isReady: boolean;
  readonly alive: number;
  /** Set when the workers failed to start: thrown by the call that was waiting for them. */
  readonly error?: Error;
  predict(batch: Batch, cancel?: Int32Array): Promise<SentencePrediction[]>;
}

interface RunOptions {
  /** Runs one batch on this thread. */
  local: (batch: Batch) => SentencePrediction[];
  pool?: BatchPool;
  signal?: AbortSignal;
}

export async function runBatches(plan: readonly number[][], build: (idx: number[]) => Batch, out: SentencePrediction[], opts: RunOptions): Promise<void> {
  const { pool, signal } = opts;
  const put = (idx: number[], preds: SentencePrediction[]) => idx.forEach((i, j) => (out[i] = preds[j]));
  let next = 0;
  for (; next < plan.length && !pool?.isReady; next++) {
    if (next > 0) await new Promise<void>((r) => setImmediate(r));
    if (pool?.error) throw pool.error;
    signal?.throwIfAborted();
    put(plan[next], opts.local(build(plan[next])));
  }
  if (next === plan.length || !pool) return;
  let failed = false;
  // Once the signal aborts, the workers skip this call's batches still queued for them.
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(cancel, 0, 1);
  signal?.addEventListener('abort', onAbort, { once: true });
  const lane = async () => {
    while (!failed && next < plan.length) {
      signal?.throwIfAborted();
      const idx = plan[next++];
      const preds = await pool.predict(build(idx), cancel).catch((e: unknown) => {
        signal?.throwIfAborted(); // a batch skipped because the call was abandoned
        throw e;
      });
      signal?.throwIfAborted();
      put(idx, preds);
    }
  };
  const lanes = Math.max(1, Math.min(2 * pool.alive, plan.length - next));
  try {
    await Promise.all(
      Array.from({ length: lanes }, () =>
        lane().catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
