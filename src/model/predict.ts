/**
 * Prediction over many sentences: encode without gold (with the extended GloVe vocabulary when the model
 * has a table attached, see glove.ts), batch sentences of similar length together (less padding), run
 * `JointModel.predict`, and return the predictions in input order. Sentences of any length are handled.
 * `lengthBatches` is the batch plan; extraction uses it too, with its token cap (extract/batches.ts).
 */
import type { Sentence } from '../data/corpus.js';
import { buildBatch, encodeSentence } from './encode.js';
import type { JointModel } from './joint.js';
import type { EncodedSentence, SentencePrediction } from './types.js';

interface PredictOptions {
  /** Sentences per batch (default 100). */
  batchSize?: number;
  /**
   * Told after each batch (and once for the sentences without tokens, which need no model): how many
   * sentences and tokens it held, for a progress bar. Batches go from the shortest sentences to the longest.
   */
  onBatch?: (sentences: number, tokens: number) => void;
}

/**
 * Sentence indices per batch, in ascending length order (ties in input order): sentences of similar
 * length share a batch, so batches carry little padding. Cut greedily at `batchSize` sentences and
 * `maxTokens` tokens (a sentence longer than the cap makes a batch alone).
 */
export function lengthBatches(lengths: readonly number[], batchSize: number, maxTokens = Infinity): number[][] {
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

export function predictSentences(model: JointModel, sentences: readonly Sentence[], opts: PredictOptions = {}): SentencePrediction[] {
  const encoded = sentences.map((s) => encodeSentence(s, model.vocab, { gold: false, glove: model.glove }));
  return predictEncoded(model, encoded, opts);
}

/**
 * Eval-mode predictions of encoded sentences, in input order, `batchSize` sentences of similar length at
 * a time. A sentence without tokens (the jsonl format allows one) predicts nothing, without the model,
 * which takes none.
 */
export function predictEncoded(model: JointModel, encoded: readonly EncodedSentence[], opts: PredictOptions = {}): SentencePrediction[] {
  const out: SentencePrediction[] = new Array(encoded.length);
  const batches = batchPredictions(model, encoded, opts, out);
  while (!batches.next().done) continue;
  return out;
}

/**
 * predictEncoded, handing the event loop a turn after each batch: a command's Ctrl-C is handled then
 * (interrupt.ts), not once the whole corpus is predicted.
 */
export async function predictEncodedYielding(model: JointModel, encoded: readonly EncodedSentence[], opts: PredictOptions = {}): Promise<SentencePrediction[]> {
  const out: SentencePrediction[] = new Array(encoded.length);
  const batches = batchPredictions(model, encoded, opts, out);
  while (!batches.next().done) await new Promise((resolve) => setImmediate(resolve));
  return out;
}

/** Fills `out` with the predictions, a batch per step. */
function* batchPredictions(model: JointModel, encoded: readonly EncodedSentence[], opts: PredictOptions, out: SentencePrediction[]): Generator<void> {
  const size = Math.max(1, opts.batchSize ?? 100);
  const real: number[] = [];
  encoded.forEach((e, i) => {
    if (e.words.length > 0) real.push(i);
    else out[i] = { tags: [], entities: [], relations: [] };
  });
  if (real.length < encoded.length) opts.onBatch?.(encoded.length - real.length, 0);
  for (const batch of lengthBatches(real.map((i) => encoded[i].words.length), size)) {
    const idx = batch.map((j) => real[j]);
    const preds = model.predict(buildBatch(idx.map((i) => encoded[i]), model.vocab.words.size, model.glove));
    idx.forEach((i, j) => (out[i] = preds[j]));
    opts.onBatch?.(idx.length, idx.reduce((n, i) => n + encoded[i].words.length, 0));
    yield;
  }
}
