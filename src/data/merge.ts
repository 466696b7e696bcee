/**
 * What merging entities makes of a sentence's relations: the readers merge an entity repeated with the span
 * and type of an earlier one (formats/checks.ts), a relabelling merges entities its renames give one span
 * and type (relabel.ts). Both move relations to the kept entity the same way, here.
 */
import type { Relation } from './corpus.js';

/** What becomes of a relation: moved to the kept entities, or dropped (`relationMerger`). */
type MergedRelation = { kept: Relation } | { dropped: 'between-duplicates' | 'duplicate' };

/** One relation of a type: the same key for A→B and B→A when the type is symmetric. */
function relationKey(type: string, head: string, tail: string, symmetric: boolean): string {
  const [a, b] = symmetric && tail < head ? [tail, head] : [head, tail];
  return JSON.stringify([type, a, b]);
}

/**
 * Moves the relations of one sentence, one at a time, to the kept entities after its entities were merged
 * (`into`: a merged entity's id → the id of the one it was merged into). Each is moved, unless:
 * - its two arguments were merged into one (`between-duplicates`) and `keepSelf` is false: a relabelling
 *   made two entities one, and the self-relation it would become is one the input never had (no model
 *   predicts it, and it would be written out). The readers keep it (`keepSelf`): two entities of one span
 *   and type in the input are the same entity to any scorer that compares spans, so the relation is a
 *   self-relation as written, which the readers keep (formats/checks.ts);
 * - it is now the same as an earlier one, type, head and tail, either way round for a `symmetric` type
 *   (`duplicate`): one fact, counted twice by stats and trained on twice.
 * Relations that were the same already before the merge are left as they are: the merge changes only what
 * it makes the same. `type` is the relation's type after the merge (a relabelling renames it), which
 * `symmetric` is asked about.
 */
export function relationMerger(into: ReadonlyMap<string, string>, symmetric: (type: string) => boolean, keepSelf = false): (r: Relation, type?: string) => MergedRelation {
  /** Key of a kept relation → the keys its relations had before the merge. */
  const keys = new Map<string, Set<string>>();
  return (r, type = r.type) => {
    const head = into.get(r.head) ?? r.head;
    const tail = into.get(r.tail) ?? r.tail;
    if (head === tail && r.head !== r.tail && !keepSelf) return { dropped: 'between-duplicates' };
    const sym = symmetric(type);
    const before = relationKey(r.type, r.head, r.tail, sym);
    const now = relationKey(type, head, tail, sym);
    const olds = keys.get(now);
    if (olds && !olds.has(before)) return { dropped: 'duplicate' };
    if (olds) olds.add(before);
    else keys.set(now, new Set([before]));
    return { kept: { ...r, type, head, tail } };
  };
}
