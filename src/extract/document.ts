/**
 * One input text's sentences and their model predictions → the `ExtractedDocument` users get: entity
 * character offsets into the text, document-level token indices, ids `T1…`, and relations filtered by
 * the extraction options.
 */
import type { LabelSchema } from '../data/corpus.js';
import type { TokenizedSentence } from '../text/index.js';
import type { SentencePrediction } from '../model/types.js';
import { tripleKey, type ResolvedExtractOptions } from './options.js';
import type { PlacedEntity } from './given-entities.js';
import type { ExtractedDocument, ExtractedEntity, ExtractedRelation, GivenEntity } from './types.js';

/** The entities a caller gave for the text (`extract({text, entities})`) and where they were placed. */
interface GivenInText {
  entities: readonly GivenEntity[];
  placed: readonly PlacedEntity[][];
}

export function buildDocument(
  text: string,
  sentences: readonly TokenizedSentence[],
  predictions: readonly SentencePrediction[],
  schema: LabelSchema,
  options: ResolvedExtractOptions,
  given?: GivenInText,
): ExtractedDocument {
  const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const allowed = (h: ExtractedEntity, type: string, t: ExtractedEntity) =>
    !options.allowedTriples ||
    options.allowedTriples.has(tripleKey(h.type, type, t.type)) ||
    (symmetric.has(type) && options.allowedTriples.has(tripleKey(t.type, type, h.type)));
  const doc: ExtractedDocument = { text, sentences: [], entities: [], relations: [] };
  const nextId = entityIds(given?.entities);
  let tokenBase = 0;
  sentences.forEach((s, si) => {
    const pred = predictions[si];
    doc.sentences.push({ start: s.start, end: s.end, tokens: s.tokens.map((t): [number, number] => [t.start, t.end]), ...(s.cut && { cut: true }) });
    const ents = pred.entities.map((e): ExtractedEntity => {
      // A given entity keeps its own offsets and id; the model's tags hold it token for token.
      const mine = given && givenAt(given, si, e.start, e.end);
      const start = mine ? mine.start : s.tokens[e.start].start;
      const end = mine ? mine.end : s.tokens[e.end - 1].end;
      return {
        id: mine?.id ?? nextId(),
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

/** `T1`, `T2`, … in text order, passing over the ids the caller gave. */
function entityIds(given: readonly GivenEntity[] | undefined): () => string {
  const taken = new Set(given?.flatMap((e) => (e.id === undefined ? [] : [e.id])));
  let n = 0;
  return () => {
    let id: string;
    do id = `T${++n}`;
    while (taken.has(id));
    return id;
  };
}

/** The given entity the model's tags put at tokens [start, end) of sentence `si`. */
function givenAt(given: GivenInText, si: number, start: number, end: number): GivenEntity {
  const p = given.placed[si].find((e) => e.start === start && e.end === end);
  if (!p) throw new Error(`buildDocument: no given entity at tokens ${start}–${end} of sentence ${si}`);
  return given.entities[p.index];
}
