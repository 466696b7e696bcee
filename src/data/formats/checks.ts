/**
 * Checks every reader's documents go through (`readCorpus`), for input that parses but is doubtful.
 * Each finding is a counted warning naming the file and the line (or record) the document came from:
 *
 * - `duplicate-entity-merged`: an entity with the span and the type of an earlier one in its sentence. The
 *   copy is dropped and its relations moved to the first (merge.ts): as for relations below, and a copy
 *   also reads as a "nested" pair (stats) that no flat tagging holds, and as a gold entity no prediction
 *   can match. A relation the move makes the same as another, either way round for a symmetric type, is
 *   dropped (`duplicate-relation-dropped`). One between the copy and its first is kept as the
 *   self-relation it is to a scorer comparing spans (`self-relation-kept`, below): in a prediction file
 *   it is a wrong relation to count, not to lose.
 * - `duplicate-relation-dropped`: the same relation (type, head, tail) listed again in a sentence, or for
 *   a symmetric type also the other way round (tail, head). The copy is dropped, the first kept: a
 *   relation is a fact about two entities, and a copy would be counted twice by `stats` (once by
 *   `evaluate`, which compares a symmetric relation either way round), weighted twice in training and,
 *   once written out, make a gold file that other tools score differently.
 * - `self-relation-kept`: a relation whose head and tail are the same entity in the input. It is KEPT: it is what the
 *   gold says, and dropping it would quietly raise the recall entrel reports over what another scorer
 *   reports on the same file. The warning is there because entrel's model only pairs distinct entities,
 *   so it can never predict such a relation (each one is a false negative at evaluation) and training
 *   ignores it.
 * - `duplicate-document-id`: a second document with an id already seen in the same file. Both are kept
 *   (their content may differ, and nothing says which one is right); `evaluate` refuses such a file as
 *   gold or predictions, and the brat writer gives the second one a `_2` file name.
 */
import { formatWhere, quote, type ErrorLocation } from '../../errors.js';
import { entitySurface as surface, type Document, type Entity, type Relation, type Sentence } from '../corpus.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Located } from '../located.js';
import { relationMerger } from '../merge.js';

/** Where the first of two documents was, relative to the second (same file: just its line). */
function firstAt(first: ErrorLocation, now: ErrorLocation): string {
  const sameFile = first.file === now.file && first.line !== undefined;
  return formatWhere(sameFile ? { ...first, file: undefined } : first);
}

/** Merges repeated entities, drops repeated relations and warns about self-relations, in place; see the module comment. */
function checkSentence(doc: Document, s: Sentence, si: number, at: string, symmetric: ReadonlySet<string>, diagnostics: Diagnostics): void {
  let byId: Map<string, Entity> | undefined;
  const describe = (rel: Relation) => {
    byId ??= new Map(s.entities.map((e) => [e.id, e]));
    const h = byId.get(rel.head);
    const args = rel.head === rel.tail ? surface(doc, s, h) : `${surface(doc, s, h)} → ${surface(doc, s, byId.get(rel.tail))}`;
    return `${at} document ${quote(doc.id)}, sentence ${si}: ${rel.type} ${rel.head}→${rel.tail} (${args})`;
  };
  if (s.entities.length > 1) mergeDuplicateEntities(doc, s, si, at, symmetric, diagnostics, describe);
  const seen = s.relations.length > 1 ? new Set<string>() : undefined;
  let dropped = false;
  const kept = s.relations.filter((r) => {
    if (seen) {
      const key = JSON.stringify([r.type, r.head, r.tail]);
      const reversed = symmetric.has(r.type) && seen.has(JSON.stringify([r.type, r.tail, r.head]));
      if (seen.has(key) || reversed) {
        diagnostics.warn('duplicate-relation-dropped', `${describe(r)}${reversed ? ` is ${r.tail}→${r.head} the other way round (${r.type} is symmetric)` : ''}`);
        return (dropped = true), false;
      }
      seen.add(key);
    }
    if (r.head === r.tail) diagnostics.warn('self-relation-kept', describe(r));
    return true;
  });
  if (dropped) s.relations = kept;
}

/** Drops each entity with the span and type of an earlier one in `s`, its relations moved to that one (merge.ts). */
function mergeDuplicateEntities(doc: Document, s: Sentence, si: number, at: string, symmetric: ReadonlySet<string>, diagnostics: Diagnostics, describe: (r: Relation) => string): void {
  const first = new Map<string, Entity>();
  const into = new Map<string, string>();
  const kept = s.entities.filter((e) => {
    const key = `${e.start}:${e.end}:${e.type}`;
    const f = first.get(key);
    if (!f) return first.set(key, e), true;
    into.set(e.id, f.id);
    diagnostics.warn('duplicate-entity-merged', `${at} document ${quote(doc.id)}, sentence ${si}: ${e.type} ${e.id} = ${f.id} (${surface(doc, s, e)})`);
    return false;
  });
  if (!into.size) return;
  const merged = relationMerger(into, (t) => symmetric.has(t), true);
  const relations: Relation[] = [];
  for (const r of s.relations) {
    const m = merged(r);
    if ('kept' in m) relations.push(m.kept);
    else diagnostics.warn('duplicate-relation-dropped', `${describe(r)} is now the same as another ${r.type}`); // keepSelf: only 'duplicate' is dropped
  }
  s.entities = kept;
  s.relations = relations;
}

/** The documents of one file, checked; see the module comment for what is checked and why. */
export async function* checkDocuments(
  docs: AsyncIterable<Located<Document>>,
  symmetric: ReadonlySet<string>,
  diagnostics: Diagnostics,
): AsyncGenerator<Document> {
  const firstSeen = new Map<string, ErrorLocation>();
  for await (const { value: doc, loc } of docs) {
    const at = formatWhere(loc);
    const first = firstSeen.get(doc.id);
    if (first) diagnostics.warn('duplicate-document-id', `${at} document id ${quote(doc.id)} (first at ${firstAt(first, loc)}); both kept`);
    else firstSeen.set(doc.id, loc);
    doc.sentences.forEach((s, si) => checkSentence(doc, s, si, at, symmetric, diagnostics));
    yield doc;
  }
}
