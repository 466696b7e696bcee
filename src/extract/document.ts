/**
 * One input text's sentences and their model predictions → the `ExtractedDocument` users get: entity
 * character offsets into the text, document-level token indices, ids `T1…`, and relations filtered by
 * the extraction options.
 */
import type { LabelSchema } from '../data/corpus.js';
import type { TokenizedSentence } from '../text/index.js';
import type { SentencePrediction } from '../model/types.js';
import { tripleKey, type ResolvedExtractOptions } from './options.js';
import type { ExtractedDocument, ExtractedEntity, ExtractedRelation } from './types.js';

export function buildDocument(
  text: string,
  sentences: readonly TokenizedSentence[],
  predictions: readonly SentencePrediction[],
  schema: LabelSchema,
  options: ResolvedExtractOptions,
): ExtractedDocument {
  const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const allowed = (h: ExtractedEntity, type: string, t: ExtractedEntity) =>
    !options.allowedTriples ||
    options.allowedTriples.has(tripleKey(h.type, type, t.type)) ||
    (symmetric.has(type) && options.allowedTriples.has(tripleKey(t.type, type, h.type)));
  const doc: ExtractedDocument = { text, sentences: [], entities: [], relations: [] };
  let tokenBase = 0;
  sentences.forEach((s, si) => {
    const pred = predictions[si];
    doc.sentences.push({ start: s.start, end: s.end, tokens: s.tokens.map((t): [number, number] => [t.start, t.end]) });
    const ents = pred.entities.map((e, k): ExtractedEntity => {
      const start = s.tokens[e.start].start;
      const end = s.tokens[e.end - 1].end;
      return {
        id: `T${doc.entities.length + k + 1}`,
        text: text.slice(start, end),
        type: e.type,
        start,
        end,
        sentence: si,
        tokenStart: tokenBase + e.start,
        tokenEnd: tokenBase + e.end,
        score: e.score,
      };
    });
    doc.entities.push(...ents);
    for (const r of pred.relations) {
      const [h, t] = [ents[r.head], ents[r.tail]];
      // Distance as the model's distance feature: start of the right entity − last token of the left one.
      const [left, right] = h.tokenStart < t.tokenStart ? [h, t] : [t, h];
      if (r.score < options.relationThreshold) continue;
      if (right.tokenStart - left.tokenEnd + 1 > options.maxPairDistance) continue;
      if (!allowed(h, r.type, t)) continue;
      const rel: ExtractedRelation = { type: r.type, head: h.id, tail: t.id, score: r.score };
      doc.relations.push(rel);
    }
    tokenBase += s.tokens.length;
  });
  return doc;
}
