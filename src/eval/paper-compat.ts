/**
 * The authors' evaluation quirks (reference spec §4.2, §7.1 item 11), for comparing with published
 * numbers. Their gold entities are what the gold BIEOU tags decode to after later mentions overwrite
 * earlier overlapping ones (spec §1.1), and a gold relation is skipped when its argument spans overlap
 * or when either span is not exactly such a decoded entity (then typed by the decoded chunk).
 */
import { decodeTags, encodeTags } from '../data/bilou.js';
import type { Sentence } from '../data/corpus.js';
import type { CompactSentence, RelTuple, SpanTuple } from './compact.js';

export function paperCompatGold(sentence: Sentence, gold: CompactSentence): CompactSentence {
  const { tags } = encodeTags(sentence.tokens.length, sentence.entities, 'BIEOU', 'overwrite');
  const entities = decodeTags(tags).map((s): SpanTuple => [s.start, s.end, s.type]);
  const typeOf = (start: number, end: number) => entities.find((e) => e[0] === start && e[1] === end)?.[2];
  const relations: RelTuple[] = [];
  for (const r of gold.relations) {
    if (r[0] < r[4] && r[3] < r[1]) continue; // overlapping arguments
    const h = typeOf(r[0], r[1]);
    const t = typeOf(r[3], r[4]);
    if (h !== undefined && t !== undefined) relations.push([r[0], r[1], h, r[3], r[4], t, r[6]]);
  }
  return { entities, relations };
}
