/**
 * Extraction's batch plan over the sentences of many texts: model/predict.ts's length batches (sorted by
 * token count, little padding) with a token cap, so that long sentences (100-token chunks of
 * unpunctuated text) make smaller batches and no batch holds the event loop or a worker for long.
 * Running the batches, on this thread or through the worker pool, is run-batches.ts.
 */
import { lengthBatches } from '../model/predict.js';

/** Most tokens in one model call. */
const MAX_BATCH_TOKENS = 4096;

/**
 * Sentences per model call by default: the model ran CoNLL04 test with 18 % less CPU at 128 than at 32
 * (the LSTM's per-step work and every op's fixed cost are shared by more sentences). 32 had measured
 * fastest only while each large batch made V8 run a full GC (scoped tensors reported their memory to it,
 * see tensor/scope.ts).
 */
export const DEFAULT_BATCH_SIZE = 128;

/** Sentence indices per batch, in ascending length order, at most `batchSize` sentences and `maxTokens` tokens each. */
export function planBatches(lengths: readonly number[], batchSize: number, maxTokens = MAX_BATCH_TOKENS): number[][] {
  return lengthBatches(lengths, batchSize, maxTokens);
}
