/**
 * Work done in steps, so that a server thread is not held for the whole of a long text: the tokenizer and
 * the sentence splitter are generators that yield every so often (`Steps`), run to their end at once by
 * the synchronous functions (`finish`) or in time slices by the asynchronous ones (`inSlices`), which
 * give the event loop a turn between slices and stop when their signal aborts. Same results either way.
 */

/** A computation of a `T` that yields (nothing) every so often: a point where it may be paused. */
export type Steps<T> = Generator<void, T, void>;

/** Tokens or sentences between two yields: a few milliseconds of work even for the slowest text. */
export const STEP_ITEMS = 2048;

/** `steps` run to their end, synchronously. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface SliceOptions {
  /** Stops between slices (the promise rejects with its reason). */
  signal?: AbortSignal;
  /** Most time of one slice before the event loop gets a turn, in ms (default 10). */
  sliceMs?: number;
}

/**
 * `steps` run to their end in slices of about `sliceMs` each, with a turn of the event loop (setImmediate:
 * after its I/O) between them; a short text is done in the first slice, without waiting for a turn.
 */
export async function inSlices<T>(steps: Steps<T>, { signal, sliceMs = 10 }: SliceOptions = {}): Promise<T> {
  signal?.throwIfAborted();
  let until = performance.now() + sliceMs;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() < until) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    until = performance.now() + sliceMs;
  }
}
