/**
 * Annotations of one text that were tokenised differently, put on common tokens so that they can be
 * compared item by item. Raw-text annotation (brat's text layout, doccano, Label Studio) cuts tokens at
 * every entity edge (fit-spans.ts), so two annotators of the same text, or a correction of a model's
 * prediction, rarely share every token, and the sentence splitter's cuts move where an entity crossed one.
 * - tokens: every side's tokens cut at every side's token edges (the coarsest tokens finer than all);
 * - sentences: the sentences of all sides joined where one side's sentence crosses another's;
 * - entities keep their characters, so an entity is the same on common tokens exactly when it has the
 *   same characters; relations keep their entity ids (unique within a document).
 */
import type { Document, Entity, Sentence, Token } from './corpus.js';
import { firstIndex } from './search.js';

/**
 * `docs` (the same document as each side has it) on common tokens, in the input order; undefined when
 * their texts differ or a token is not its text's characters, so that offsets do not point at the same
 * characters.
 */
export function onCommonTokens(docs: readonly Document[]): Document[] | undefined {
  const text = docs[0].text;
  const ownCharacters = (t: Token) => t.start >= 0 && t.end > t.start && text.slice(t.start, t.end) === t.text;
  if (docs.some((d) => d.text !== text || !d.sentences.every((s) => s.tokens.every(ownCharacters)))) return undefined;
  const tokens = commonTokens(text, docs);
  const groups = sentenceGroups(docs);
  // Sentence g of the result: the common tokens from groups[g].start on, up to groups[g].end.
  const bounds = groups.map((g) => firstIndex(tokens.length, (i) => tokens[i].start >= g.start));
  bounds.push(tokens.length);
  const tokenAt = (offset: number) => firstIndex(tokens.length, (i) => tokens[i].start >= offset);
  return docs.map((doc) => {
    const sentences: Sentence[] = groups.map((_, g) => ({ tokens: tokens.slice(bounds[g], bounds[g + 1]), entities: [], relations: [] }));
    for (const s of doc.sentences) {
      if (s.tokens.length === 0) continue;
      const g = firstIndex(groups.length, (k) => groups[k].end >= s.tokens[s.tokens.length - 1].end);
      const out = sentences[g];
      out.relations.push(...s.relations);
      for (const e of s.entities) {
        const start = tokenAt(s.tokens[e.start].start) - bounds[g];
        const end = tokenAt(s.tokens[e.end - 1].end) - bounds[g];
        out.entities.push({ ...e, start, end } satisfies Entity);
      }
    }
    return { ...doc, sentences };
  });
}

/** The characters some side's token covers, cut at every token edge of every side. */
function commonTokens(text: string, docs: readonly Document[]): Token[] {
  // +1 where a token starts, −1 where one ends: a piece between two edges is covered when the sum is positive.
  const delta = new Map<number, number>();
  for (const d of docs)
    for (const s of d.sentences)
      for (const t of s.tokens) {
        delta.set(t.start, (delta.get(t.start) ?? 0) + 1);
        delta.set(t.end, (delta.get(t.end) ?? 0) - 1);
      }
  const edges = [...delta.keys()].sort((a, b) => a - b);
  const out: Token[] = [];
  let covered = 0;
  edges.forEach((at, i) => {
    covered += delta.get(at)!;
    if (covered > 0 && i + 1 < edges.length) out.push({ text: text.slice(at, edges[i + 1]), start: at, end: edges[i + 1] });
  });
  return out;
}

/** Character ranges of the result's sentences: every side's sentences, joined where they overlap. */
function sentenceGroups(docs: readonly Document[]): { start: number; end: number }[] {
  const ranges = docs
    .flatMap((d) => d.sentences.filter((s) => s.tokens.length > 0).map((s) => ({ start: s.tokens[0].start, end: s.tokens[s.tokens.length - 1].end })))
    .sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
