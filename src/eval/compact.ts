/**
 * Compact, allocation-light views of a sentence's annotation, shared by the corpus scorer and the
 * per-sentence MRT reward. Types are strings or small integer ids, whichever the caller has.
 */
import { UserError } from '../errors.js';
import type { Sentence } from '../data/corpus.js';

export type Label = string | number;
/** `[start, end, type]`, token span end-exclusive. */
export type SpanTuple = readonly [start: number, end: number, type: Label];
/** `[hStart, hEnd, hType, tStart, tEnd, tType, relType]`, head (Arg1) first. */
export type RelTuple = readonly [
  hStart: number,
  hEnd: number,
  hType: Label,
  tStart: number,
  tEnd: number,
  tType: Label,
  rel: Label,
];

/** Whether two token spans share a token (end-exclusive spans). */
export const spansOverlap = (a: SpanTuple, b: SpanTuple): boolean => a[0] < b[1] && b[0] < a[1];

export interface CompactSentence {
  entities: readonly SpanTuple[];
  relations: readonly RelTuple[];
}

/** Orders arguments (start, end, type); symmetric relations keep the smaller one as head. */
function argLess(s1: number, e1: number, t1: Label, s2: number, e2: number, t2: Label): boolean {
  return s1 !== s2 ? s1 < s2 : e1 !== e2 ? e1 < e2 : t1 < t2;
}

/** Puts a symmetric relation's arguments in text order so that A–B and B–A are the same tuple. */
export function canonicalRelation(r: RelTuple, symmetric: boolean): RelTuple {
  if (!symmetric || !argLess(r[3], r[4], r[5], r[0], r[1], r[2])) return r;
  return [r[3], r[4], r[5], r[0], r[1], r[2], r[6]];
}

/**
 * Sentence → compact tuples, symmetric relation types canonicalised. A relation naming an entity id
 * the sentence does not hold is a UserError (`where` locates it, e.g. `document d1, sentence 3`).
 */
export function compactSentence(
  sentence: Sentence,
  isSymmetric: (relType: string) => boolean = () => false,
  where = 'sentence',
): CompactSentence {
  const byId = new Map(sentence.entities.map((e) => [e.id, e]));
  const entities = sentence.entities.map((e): SpanTuple => [e.start, e.end, e.type]);
  const relations = sentence.relations.map((r, i): RelTuple => {
    const h = byId.get(r.head);
    const t = byId.get(r.tail);
    if (!h || !t) {
      const missing = h ? r.tail : r.head;
      throw new UserError(`${where}: relation ${i} (${r.type}) names entity '${missing}', which the sentence does not hold`);
    }
    return canonicalRelation([h.start, h.end, h.type, t.start, t.end, t.type, r.type], isSymmetric(r.type));
  });
  return { entities, relations };
}
