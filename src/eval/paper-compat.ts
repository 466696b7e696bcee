/**
 * The authors' evaluation quirks (reference spec §4.2, §7.1 item 11), for comparing with published
 * numbers. Their gold entities are what the gold BIEOU tags decode to after later mentions overwrite
 * earlier overlapping ones (spec §1.1), and a gold relation is skipped when its argument spans overlap
 * or when either span is not exactly such a decoded entity (then typed by the decoded chunk).
 */
import { decodeTags, encodeTags } from '../data/bilou.js';
import type { Document, Sentence } from '../data/corpus.js';
import { Diagnostics } from '../data/diagnostics.js';
import { quote } from '../errors.js';
import { compactSentence, type CompactSentence, type RelTuple, type SpanTuple } from './compact.js';

export function paperCompatGold(sentence: Sentence, gold: CompactSentence): CompactSentence {
  const { tags } = encodeTags(sentence.tokens.length, sentence.entities, 'BIEOU', 'overwrite');
  const entities = decodeTags(tags).map((s): SpanTuple => [s.start, s.end, s.type]);
  const relations = gold.relations.map((r) => readRelation(r, entities)).filter((r) => r !== undefined);
  return { entities, relations };
}

/** A gold relation as the authors' evaluator reads it, its arguments typed by the decoded chunks; undefined: skipped. */
function readRelation(r: RelTuple, entities: readonly SpanTuple[]): RelTuple | undefined {
  if (r[0] < r[4] && r[3] < r[1]) return undefined; // overlapping arguments
  const typeOf = (start: number, end: number) => entities.find((e) => e[0] === start && e[1] === end)?.[2];
  const h = typeOf(r[0], r[1]);
  const t = typeOf(r[3], r[4]);
  return h === undefined || t === undefined ? undefined : [r[0], r[1], h, r[3], r[4], t, r[6]];
}

/** How much the gold side `--paper-compat` scores differs from the data, in all and by kind (spec §7.1.11). */
export interface PaperCompatChanges {
  /** Gold entities the overwritten tags no longer decode to. */
  entitiesLost: number;
  /** Chunks the overwritten tags decode to that are no gold entity (`Times` of a `New York Times` under `New York`). */
  entitiesAdded: number;
  /** Gold relations skipped: overlapping arguments, or an argument lost to overwriting. */
  relationsSkipped: number;
  /** Each change with where it is (counted warnings, for the command's stderr). */
  diagnostics: Diagnostics;
}

export function paperCompatChanges(documents: readonly Document[]): PaperCompatChanges {
  const d = new Diagnostics();
  const key = (e: SpanTuple) => `${e[0]}:${e[1]}:${e[2]}`;
  for (const doc of documents)
    doc.sentences.forEach((s, i) => {
      const where = `document ${quote(doc.id)}, sentence ${i}`;
      const text = (e: SpanTuple) => `${e[2]} ${quote(s.tokens.slice(e[0], e[1]).map((t) => t.text).join(' '))} [${e[0]}, ${e[1]})`;
      const gold = compactSentence(s, () => false, where);
      const { entities } = paperCompatGold(s, gold);
      const read = new Set(entities.map(key));
      const given = new Set(gold.entities.map(key));
      for (const e of new Map(gold.entities.map((x) => [key(x), x])).values())
        if (!read.has(key(e))) d.warn('paper-compat-gold-entity-lost', `${where}: ${text(e)} (a later overlapping entity's tags are written over it)`);
      for (const e of entities)
        if (!given.has(key(e))) d.warn('paper-compat-gold-entity-added', `${where}: ${text(e)} (what the overwritten tags decode to)`);
      for (const r of gold.relations)
        if (!readRelation(r, entities))
          d.warn('paper-compat-gold-relation-skipped', `${where}: ${r[6]} ${text([r[0], r[1], r[2]])} → ${text([r[3], r[4], r[5]])}`);
    });
  return {
    entitiesLost: d.count('paper-compat-gold-entity-lost'),
    entitiesAdded: d.count('paper-compat-gold-entity-added'),
    relationsSkipped: d.count('paper-compat-gold-relation-skipped'),
    diagnostics: d,
  };
}
