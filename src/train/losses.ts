/**
 * What the training targets cannot hold, counted so that nothing is dropped silently (the readers count
 * what they drop; this counts what encoding for training drops on top): an entity nested in or crossing
 * a longer one (a flat tag sequence holds one chunk per token; encode.ts keeps the longest, or the
 * later with `overlappingEntities` "overwrite") and the
 * tokens of a sentence past MAX_TRAIN_LENGTH, with the entities and relations there. The data itself
 * is unchanged: dev is still scored against every gold entity.
 */
import { encodeTags, type OverlapPolicy, type TagScheme } from '../data/bilou.js';
import type { Document } from '../data/corpus.js';
import { Diagnostics } from '../data/diagnostics.js';
import { quote } from '../errors.js';
import { MAX_TRAIN_LENGTH } from './data.js';

export function trainingLosses(documents: readonly Document[], scheme: TagScheme, overlap: OverlapPolicy = 'keep-longest', maxLength = MAX_TRAIN_LENGTH): Diagnostics {
  const d = new Diagnostics();
  for (const doc of documents)
    doc.sentences.forEach((s, i) => {
      const where = `document ${quote(doc.id)}, sentence ${i}`;
      const n = Math.min(s.tokens.length, maxLength);
      if (s.tokens.length > n) {
        const cut = new Set(s.entities.filter((e) => e.end > n).map((e) => e.id));
        const rels = s.relations.filter((r) => cut.has(r.head) || cut.has(r.tail)).length;
        d.warn('sentence-truncated-for-training', `${where}: ${s.tokens.length} tokens, trained on the first ${n} (${cut.size} entities and ${rels} relations past them)`);
      }
      const kept = s.entities.filter((e) => e.end <= n);
      const { dropped } = encodeTags(n, kept, scheme, overlap);
      const tagged = new Set(kept.filter((e) => !dropped.includes(e)).map((e) => `${e.start}:${e.end}:${e.type}`));
      // An exact duplicate of a tagged entity loses nothing.
      for (const e of dropped.filter((x) => !tagged.has(`${x.start}:${x.end}:${x.type}`))) {
        const text = s.tokens.slice(e.start, e.end).map((t) => t.text).join(' ');
        const which = overlap === 'overwrite' ? 'whose tags are written over it (overlappingEntities "overwrite")' : 'which the tags keep';
        d.warn('overlapping-entity-not-trained', `${where}: ${e.type} ${quote(text)} [${e.start}, ${e.end}) overlaps another entity, ${which}`);
      }
    });
  return d;
}
