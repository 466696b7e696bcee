/**
 * One text's extractions by several models → the ensemble's (the majority vote of eval/vote.ts, on
 * extraction results, with scores). An entity (token span and type) or relation (both arguments, type,
 * direction; unordered for a symmetric type) is kept when at least `minVotes` models extracted it. Its
 * score is the mean of the models' scores, a model that did not extract it counting 0: an estimate of
 * the ensemble's probability, which the relation threshold is then applied to.
 */
import type { ExtractedDocument, ExtractedEntity, ExtractedRelation } from './types.js';

interface Tally<T> {
  votes: number;
  scoreSum: number;
  first: T;
}

const entityKey = (e: ExtractedEntity) => `${e.tokenStart},${e.tokenEnd},${e.type}`;

function tally<T>(map: Map<string, Tally<T>>, key: string, item: T, score: number): void {
  const t = map.get(key);
  if (t) {
    t.votes++;
    t.scoreSum += score;
  } else map.set(key, { votes: 1, scoreSum: score, first: item });
}

export interface VoteSettings {
  minVotes: number;
  relationThreshold: number;
  symmetric: ReadonlySet<string>;
}

/** `docs`: the same text extracted by each model (same tokenizer, so the same sentences and tokens). */
export function voteExtractions(docs: readonly ExtractedDocument[], s: VoteSettings): ExtractedDocument {
  const n = docs.length;
  const entities = new Map<string, Tally<ExtractedEntity>>();
  const relations = new Map<string, Tally<{ head: string; tail: string; type: string }>>();
  for (const doc of docs) {
    // Each model's items once, even if it listed one twice.
    const keyOf = new Map(doc.entities.map((e) => [e.id, entityKey(e)]));
    const seen = new Set<string>();
    for (const e of doc.entities) {
      const k = keyOf.get(e.id)!;
      if (!seen.has(k)) tally(entities, k, e, e.score);
      seen.add(k);
    }
    for (const r of doc.relations) {
      const [head, tail] = [keyOf.get(r.head)!, keyOf.get(r.tail)!];
      // A symmetric type votes unordered (one key for both directions) and keeps the first model's direction.
      const k = s.symmetric.has(r.type) && tail < head ? `${tail}|${head}|${r.type}` : `${head}|${tail}|${r.type}`;
      if (!seen.has(k)) tally(relations, k, { head, tail, type: r.type }, r.score);
      seen.add(k);
    }
  }
  const kept = [...entities.values()]
    .filter((t) => t.votes >= s.minVotes)
    .sort((a, b) => a.first.tokenStart - b.first.tokenStart || a.first.tokenEnd - b.first.tokenEnd || (a.first.type < b.first.type ? -1 : 1));
  const out: ExtractedDocument = { text: docs[0].text, sentences: docs[0].sentences, entities: [], relations: [] };
  const idOf = new Map<string, string>();
  kept.forEach((t, i) => {
    const id = `T${i + 1}`;
    idOf.set(entityKey(t.first), id);
    out.entities.push({ ...t.first, id, score: t.scoreSum / n });
  });
  for (const t of relations.values()) {
    if (t.votes < s.minVotes || t.scoreSum / n < s.relationThreshold) continue;
    // Every model voting for a relation extracted both arguments, so they have its votes and are kept.
    const r: ExtractedRelation = { type: t.first.type, head: idOf.get(t.first.head)!, tail: idOf.get(t.first.tail)!, score: t.scoreSum / n };
    out.relations.push(r);
  }
  // In the order one model lists them: by the pair's left entity, then its right one.
  const position = new Map(out.entities.map((e, i) => [e.id, i]));
  const pair = (r: ExtractedRelation) => [position.get(r.head)!, position.get(r.tail)!].sort((x, y) => x - y);
  out.relations.sort((a, b) => {
    const [p, q] = [pair(a), pair(b)];
    return p[0] - q[0] || p[1] - q[1] || (a.type < b.type ? -1 : a.type > b.type ? 1 : position.get(a.head)! - position.get(b.head)!);
  });
  return out;
}
