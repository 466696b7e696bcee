/** Raw text → a Document ready for extraction: sentences and tokens with offsets, no annotation. */
import { described, UserError } from '../errors.js';
import { tokenizedSentences, type SentenceOptions } from '../text/index.js';
import type { Document } from './corpus.js';

export function textToDocument(id: string, text: string, opts: SentenceOptions = {}): Document {
  for (const [field, v] of [['id', id], ['text', text]] as const) if (typeof v !== 'string') throw new UserError(`must be a string, got ${described(v)}`, { field });
  return {
    id,
    text,
    sentences: tokenizedSentences(text, opts).map(({ tokens }) => ({ tokens, entities: [], relations: [] })),
  };
}
