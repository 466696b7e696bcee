/**
 * What the training targets cannot hold, counted so that nothing is dropped silently (the readers count
 * what they drop; this counts what encoding for training drops on top): an entity nested in or crossing
 * a longer one (a flat tag sequence holds one chunk per token; encode.ts keeps the longest, or the
 * later with `overlappingEntities` "overwrite"), the tokens of a sentence past `maxTrainLength`, with
 * the entities and relations there, and the relations of an entity pair beyond the one label the
 * relation classifier trains on for it (model/pairs.ts: the last listed). The data itself is unchanged:
 * dev is still scored against every gold entity and relation.
 */
import { encodeTags, type OverlapPolicy, type TagScheme } from '../data/bilou.js';
import type { Document, Entity, LabelSchema, Sentence } from '../data/corpus.js';
import { Diagnostics } from '../data/diagnostics.js';
import { quote } from '../errors.js';
import { BACKWARD, FORWARD } from '../model/vocab.js';
import { DEFAULT_MAX_TRAIN_LENGTH } from './config-schema.js';

interface TrainingLossOptions {
  overlap?: OverlapPolicy;
  /** Tokens a training sentence keeps (config `maxTrainLength`). */
  maxLength?: number;
  /** The model's labels: which relation types are symmetric (one label for both directions). */
  schema?: LabelSchema;
}

export function trainingLosses(documents: readonly Document[], scheme: TagScheme, opts: TrainingLossOptions = {}): Diagnostics {
  const { overlap = 'keep-longest', maxLength = DEFAULT_MAX_TRAIN_LENGTH } = opts;
  const symmetric = new Set(opts.schema?.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const d = new Diagnostics();
  for (const doc of documents)
    doc.sentences.forEach((s, i) => {
      const where = `document ${quote(doc.id)}, sentence ${i}`;
      const n = Math.min(s.tokens.length, maxLength);
      if (s.tokens.length > n) {
        const cut = new Set(s.entities.filter((e) => e.end > n).map((e) => e.id));
        const rels = s.relations.filter((r) => cut.has(r.head) || cut.has(r.tail)).length;
        d.warn(
          'sentence-truncated-for-training',
          `${where}: ${s.tokens.length} tokens, trained on the first ${n} (${cut.size} entities and ${rels} relations past them); split such documents into sentences, or raise maxTrainLength`,
        );
      }
      const kept = s.entities.filter((e) => e.end <= n);
      const { dropped } = encodeTags(n, kept, scheme, overlap);
      const tagged = new Set(kept.filter((e) => !dropped.includes(e)).map((e) => `${e.start}:${e.end}:${e.type}`));
      // An exact duplicate of a tagged entity loses nothing.
      for (const e of dropped.filter((x) => !tagged.has(`${x.start}:${x.end}:${x.type}`))) {
        const which = overlap === 'overwrite' ? 'whose tags are written over it (overlappingEntities "overwrite")' : 'which the tags keep';
        d.warn('overlapping-entity-not-trained', `${where}: ${e.type} ${quote(spanText(s, e))} [${e.start}, ${e.end}) overlaps another entity, ${which}`);
      }
      for (const { lost, trained } of untrainedRelationLabels(s, kept, symmetric))
        d.warn('relation-label-not-trained', `${where}: ${lost} is not trained: the pair's one label is ${trained}, the last listed of its relations`);
    });
  return d;
}

/**
 * The relations of `s` (among its `kept` entities) whose label the relation classifier does not train: it
 * has one label per entity pair, in text order with the direction folded in (model/encode.ts), and keeps
 * the last relation listed on a pair (model/pairs.ts). A same label listed again loses nothing.
 */
function untrainedRelationLabels(s: Sentence, kept: readonly Entity[], symmetric: ReadonlySet<string>): { lost: string; trained: string }[] {
  const byId = new Map(kept.map((e) => [e.id, e]));
  const onPair = new Map<string, { label: string; text: string }[]>();
  for (const r of s.relations) {
    const [h, t] = [byId.get(r.head), byId.get(r.tail)];
    if (!h || !t) continue; // past the cut: counted as truncated
    const [left, right] = h.start > t.start ? [t, h] : [h, t];
    const label = r.type + (h.start > t.start && !symmetric.has(r.type) ? BACKWARD : FORWARD);
    const key = `${left.start}:${left.end}:${right.start}:${right.end}`;
    onPair.set(key, [...(onPair.get(key) ?? []), { label, text: `${r.type} ${quote(spanText(s, h))} → ${quote(spanText(s, t))}` }]);
  }
  return [...onPair.values()].flatMap((listed) => {
    const trained = listed[listed.length - 1];
    return listed.filter((x) => x.label !== trained.label).map((x) => ({ lost: x.text, trained: trained.text }));
  });
}

function spanText(s: Sentence, e: { start: number; end: number }): string {
  return s.tokens.slice(e.start, e.end).map((t) => t.text).join(' ');
}
