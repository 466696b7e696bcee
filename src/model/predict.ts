/**
 * Prediction over many sentences: encode without gold (with the extended GloVe vocabulary when the model
 * has a table attached, see glove.ts), batch sentences of similar length together (less padding), run
 * `JointModel.predict`, and return the predictions in input order. Sentences of any length are handled.
 */
import type { Sentence } from '../data/corpus.js';
import { buildBatch, encodeSentence } from './encode.js';
import type { JointModel } from './joint.js';
import type { EncodedSentence, SentencePrediction } from './types.js';

export interface PredictOptions {
  /** Sentences per batch (default 100). */
  batchSize?: number;
}

export function predictSentences(model: JointModel, sentences: readonly Sentence[], opts: PredictOptions = {}): SentencePrediction[] {
  const encoded = sentences.map((s) => encodeSentence(s, model.vocab, { gold: false, glove: model.glove }));
  return predictEncoded(model, encoded, opts);
}

export function predictEncoded(model: JointModel, encoded: readonly EncodedSentence[], opts: PredictOptions = {}): SentencePrediction[] {
  const size = Math.max(1, opts.batchSize ?? 100);
  const out: SentencePrediction[] = new Array(encoded.length);
  const order = encoded.map((_, i) => i).filter((i) => encoded[i].words.length > 0);
  order.sort((a, b) => encoded[a].words.length - encoded[b].words.length);
  for (let i = 0; i < encoded.length; i++)
    if (encoded[i].words.length === 0) out[i] = { tags: [], entities: [], relations: [] };
  for (let k = 0; k < order.length; k += size) {
    const idx = order.slice(k, k + size);
    const preds = model.predict(buildBatch(idx.map((i) => encoded[i]), model.vocab.words.size, model.glove));
    idx.forEach((i, j) => (out[i] = preds[j]));
  }
  return out;
}
