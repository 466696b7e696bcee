/**
 * Annotations of one text that were tokenised differently, put on common tokens so that they can be
 * compared item by item. Raw-text annotation (brat's text layout, doccano, Label Studio) cuts tokens at
 * every entity edge (fit-spans.ts), so two annotators of the same text, or a correction of a model's
 * prediction, rarely share every token, and the sentence splitter's cuts move where an entity crossed one.
 * - tokens: every side's tokens cut at every side's token edges (the coarsest tokens finer than all), each
 *   piece without the white space at its edges (`New York` against `New` `York` leaves no ` ` token);
 * - sentences: the sentences of all sides joined where one side's sentence crosses another's;
 * - entities keep their characters, so an entity is the same on common tokens exactly when it has the
 *   same characters; relations keep their entity ids (unique within a document).
 */
import type { Document, Entity, Sentence, Token } from './corpus.js';
import { firstIndex } from './search.js';

/** Why documents cannot be put on common tokens: side `side`'s text differs from the first's from character `at`. */
interface TextDiffers {
  side: number;
  at: number;
}

/**
 * `docs` (the same document as each side has it) on common tokens, in the input order. Where a side's
 * text differs from the first's, where that is; undefined where a side's tokens are not its text's
 * characters or an entity is not within its sentence (the callers' own checks then say what is wrong).
 */
export function onCommonTokens(docs: readonly Document[]): Document[] | TextDiffers | undefined {
  const text = docs[0].text;
  if (typeof text !== 'string') return undefined;
  const side = docs.findIndex((d) => d.text !== text);
  if (side >= 0) return { side, at: firstDifference(text, docs[side].text) };
  if (!docs.every((d) => fitsItsText(d, text))) return undefined;
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

/** Whether every token of `doc` is `text`'s characters there and every entity is a token span of its sentence. */
function fitsItsText(doc: Document, text: string): boolean {
  const own = (t: Token) => t.start >= 0 && t.end > t.start && text.slice(t.start, t.end) === t.text;
  const within = (e: Entity, n: number) => Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start < e.end && e.end <= n;
  return doc.sentences.every((s) => s.tokens.every(own) && s.entities.every((e) => within(e, s.tokens.length)));
}

/** The first character where `a` and `b` differ (the shorter one's length when it is the other's start). */
function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const EDGE_SPACE = /[\s\p{Cc}]/u;

/** The characters some side's token covers, cut at every token edge of every side, white space at a piece's edges left out. */
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
    if (covered <= 0 || i + 1 === edges.length) return;
    let [a, b] = [at, edges[i + 1]];
    while (a < b && EDGE_SPACE.test(text[a])) a++;
    while (b > a && EDGE_SPACE.test(text[b - 1])) b--;
    if (a < b) out.push({ text: text.slice(a, b), start: a, end: b });
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
