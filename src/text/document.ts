/** Raw text → a Document ready for extraction: sentences and tokens with offsets, no annotation. */
import type { Document } from '../data/corpus.js';
import { tokenizedSentences, type SentenceOptions } from './sentences.js';

export function textToDocument(id: string, text: string, opts: SentenceOptions = {}): Document {
  return {
    id,
    text,
    sentences: tokenizedSentences(text, opts).map(({ tokens }) => ({ tokens, entities: [], relations: [] })),
  };
}
