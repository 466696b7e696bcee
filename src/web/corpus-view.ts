/**
 * Annotated documents as the web view draws them (`entrel view`): entities' token spans become
 * character offsets through their sentence's tokens, into the document's text (the one a token-only
 * format's reader rebuilt, tokens joined by spaces). Corpus files hold no scores: `score` is NaN, which
 * the drawing and the JSON tab leave out.
 */
import type { Document, Sentence } from '../data/corpus.js';
import { checkSpan } from '../data/validate.js';
import type { ExtractedDocument, ExtractedEntity, ExtractedSentence } from '../extract/types.js';

/** A corpus document for the renderers; entity and relation ids are the file's. */
export function viewDocument(doc: Document): ExtractedDocument {
  const out: ExtractedDocument = { text: doc.text, sentences: [], entities: [], relations: [] };
  let tokenBase = 0;
  doc.sentences.forEach((s, si) => {
    out.sentences.push(viewSentence(s, out.sentences[si - 1]?.end ?? 0));
    for (const e of s.entities) out.entities.push(viewEntity(doc.text, s, { doc: doc.id, si, tokenBase }, e.id, e.type, e.start, e.end));
    for (const r of s.relations) out.relations.push({ type: r.type, head: r.head, tail: r.tail, score: NaN });
    tokenBase += s.tokens.length;
  });
  return out;
}

/** A sentence's span and tokens (`from`: where a sentence without tokens sits, the end of the one before). */
export function viewSentence(s: Sentence, from: number): ExtractedSentence {
  const tokens = s.tokens.map((t): [number, number] => [t.start, t.end]);
  return { start: tokens[0]?.[0] ?? from, end: tokens[tokens.length - 1]?.[1] ?? from, tokens };
}

/** An entity of document `at.doc`'s sentence `at.si` (token span `start`–`end` within it; `at.tokenBase`: tokens before the sentence). */
export function viewEntity(text: string, s: Sentence, at: { doc: string; si: number; tokenBase: number }, id: string, type: string, start: number, end: number): ExtractedEntity {
  // The readers check spans; documents built in code reach here unchecked (compareCorpora, viewDocument).
  checkSpan(start, end, s.tokens.length, {}, `document '${at.doc}', sentence ${at.si}, ${type} entity [${start}, ${end})`);
  const [from, to] = [s.tokens[start].start, s.tokens[end - 1].end];
  return { id, text: text.slice(from, to), type, start: from, end: to, sentence: at.si, tokenStart: at.tokenBase + start, tokenEnd: at.tokenBase + end, score: NaN };
}
