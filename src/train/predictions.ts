/**
 * Model output → corpus sentences, so predictions can be scored by src/eval and written by the
 * src/data writers like any annotated file. Tokens are the gold sentence's own (same offsets), which
 * is what the evaluator aligns on.
 */
import type { Document, Sentence } from '../data/corpus.js';
import type { SentencePrediction } from '../model/types.js';

/** The sentence with the predicted entities and relations instead of the gold ones. */
export function predictedSentence(gold: Sentence, p: SentencePrediction, idPrefix: string): Sentence {
  const id = (i: number) => `${idPrefix}e${i}`;
  return {
    tokens: gold.tokens,
    entities: p.entities.map((e, i) => ({ id: id(i), type: e.type, start: e.start, end: e.end })),
    relations: p.relations.map((r) => ({ type: r.type, head: id(r.head), tail: id(r.tail) })),
  };
}

/** Documents like `gold` whose sentences carry `preds` (one per sentence, in document order). */
export function predictedDocuments(gold: readonly Document[], preds: readonly SentencePrediction[]): Document[] {
  let k = 0;
  return gold.map((d) => ({
    id: d.id,
    text: d.text,
    sentences: d.sentences.map((s, si) => predictedSentence(s, preds[k++], `s${si}`)),
  }));
}
