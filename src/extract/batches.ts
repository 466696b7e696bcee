/**
 * Length-bucketed model batches over the sentences of many texts: sentences sorted by token count
 * (little padding), cut greedily into batches of at most `batchSize` sentences and `maxTokens` tokens
 * (long sentences — 100-token chunks of unpunctuated text — make smaller batches, so no batch holds the
 * event loop or a worker for long).
 */

/** Most tokens in one model call. */
export const MAX_BATCH_TOKENS = 4096;

/**
 * Sentences per model call by default: the model ran CoNLL04 test with 18 % less CPU at 128 than at 32
 * (the LSTM's per-step work and every op's fixed cost are shared by more sentences). 32 had measured
 * fastest only while each large batch made V8 run a full GC (scoped tensors reported their memory to it,
 * see tensor/scope.ts).
 */
export const DEFAULT_BATCH_SIZE = 128;

/** Sentence indices per batch, in ascending length order. */
export function planBatches(lengths: readonly number[], batchSize: number, maxTokens = MAX_BATCH_TOKENS): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let k = 0; k < order.length; ) {
    let end = k + 1;
    let tokens = lengths[order[k]];
    while (end < order.length && end - k < batchSize && tokens + lengths[order[end]] <= maxTokens) tokens += lengths[order[end++]];
    batches.push(order.slice(k, end));
    k = end;
  }
  return batches;
}
