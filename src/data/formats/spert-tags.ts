/**
 * SpERT-style JSON with BILOU tags instead of spans (the `conll04/spert/` copy from TablERT):
 * `{tokens, tags, relations: [{head, tail, type}], orig_id}`; head/tail index the entities in order of
 * appearance, i.e. the chunks the tags decode to (lenient decoder, spec §5.1; a tag it repairs, a
 * continuation of no entity or a B-/I- no L- ends, is counted: `invalid-tag-sequence-repaired`).
 */
import { z } from 'zod';
import { formatWhere, quote } from '../../errors.js';
import { decodeTags, encodeTags, isRepairedTag, isUnclosedTag } from '../bilou.js';
import { readJsonArray } from '../json-array.js';
import type { Located } from '../located.js';
import { checkArgumentIndexes, fail, label, parseWith, tokenText } from '../validate.js';
import { writeAtomic } from '../write.js';
import { countSymmetricNotKept, jsonArrayText, sentencesOf, toTokenSentence, tokenDocument, unwritableLabel } from './common.js';
import { typesFileSchema } from './types-file.js';
import { countUnreadKeys, type PartShape } from './unread-keys.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Document } from '../corpus.js';
import type { Source } from '../write.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const Rec = z.object({
  tokens: z.array(tokenText()),
  tags: z.array(z.string()),
  relations: z.array(z.object({ head: int, tail: int, type: label() })).default([]),
  orig_id: z.union([z.string(), z.number()]).optional(),
});

/** The keys the reader reads, part by part (unread-keys.ts). */
const SHAPE: PartShape = {
  kind: 'record',
  known: ['tokens', 'tags', 'relations', 'orig_id'],
  lists: ['tokens', 'tags', 'relations'],
  parts: { relations: { kind: 'relation', known: ['head', 'tail', 'type'] } },
};

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonArray(file)) {
    countUnreadKeys(value, SHAPE, 'spert-tags', loc, opts.diagnostics);
    const r = parseWith(Rec, value, loc);
    if (r.tags.length !== r.tokens.length)
      fail(`${r.tags.length} tags for ${r.tokens.length} tokens`, loc, 'tags');
    // The decoder reads anything (a tag without a known prefix as O), so a typo would silently lose an entity.
    r.tags.forEach((t, i) => {
      if (!/^(O|[BIELSU]-.+)$/.test(t)) fail(`expected O or a B-, I-, L-, E-, U- or S- tag with a type, got ${quote(t)}`, loc, `tags[${i}]`);
    });
    r.tags.forEach((t, i) => {
      const [prev, next] = [r.tags[i - 1], r.tags[i + 1]];
      if (isRepairedTag(prev, t))
        opts.diagnostics.warn('invalid-tag-sequence-repaired', `${formatWhere(loc)} tags[${i}] ${quote(t)} after ${i ? quote(prev) : 'the start'}: read as the start of an entity`);
      else if (isUnclosedTag(t, next))
        opts.diagnostics.warn('invalid-tag-sequence-repaired', `${formatWhere(loc)} tags[${i}] ${quote(t)} before ${next === undefined ? 'the end' : quote(next)}: read as an entity ending there`);
    });
    const entities = decodeTags(r.tags);
    checkArgumentIndexes(r.relations, entities.length, `the tags hold ${entities.length}`, loc);
    yield { value: tokenDocument(String(r.orig_id ?? loc.line), [{ tokens: r.tokens, entities, relations: r.relations }]), loc };
  }
}

/** Overlapping entities cannot all be tagged: the longest is kept; the rest and their relations are counted. */
async function* records(docs: Source<Document>, diagnostics?: Diagnostics) {
  for await (const [d, s, id] of sentencesOf('spert-tags', docs, diagnostics)) {
    // A tag is `B-TYPE` on one line: the reader's tag pattern stops at a line break (an empty type sentencesOf refuses).
    for (const e of s.entities)
      if (/[\n\r\u2028\u2029]/.test(e.type)) unwritableLabel('spert-tags', d, 'entity type', e.type, 'contains a line break, which a tag cannot hold', e.type.replace(/\s+/g, '_'));
    const t = toTokenSentence(d, s);
    const { tags, dropped } = encodeTags(t.tokens.length, t.entities, 'BILOU');
    const lost = new Set(dropped);
    for (const e of dropped) diagnostics?.warn('overlapping-entity-dropped', `${id}: ${e.type} [${e.start}, ${e.end})`);
    // entities in order of appearance = the order the tags decode to
    const kept = t.entities.map((e, i) => ({ e, i })).filter(({ e }) => !lost.has(e));
    kept.sort((a, b) => a.e.start - b.e.start);
    const order = new Map(kept.map(({ i }, k) => [i, k]));
    const relations = [];
    for (const r of t.relations) {
      const head = order.get(r.head);
      const tail = order.get(r.tail);
      if (head === undefined || tail === undefined)
        diagnostics?.warn('relation-dropped-with-entity', `${id}: ${r.type}`);
      else relations.push({ head, tail, type: r.type });
    }
    yield { tokens: t.tokens, tags, relations, orig_id: id };
  }
}

export const spertTags: Format = {
  name: 'spert-tags',
  description: 'JSON array of {tokens, tags (BILOU), relations:[{head,tail,type}]} (conll04/spert)',
  read,
  schema: typesFileSchema,
  write: (docs, schema, out, diagnostics) => {
    countSymmetricNotKept(schema, diagnostics); // no types file is written
    return writeAtomic(out, jsonArrayText(records(docs, diagnostics)));
  },
};
