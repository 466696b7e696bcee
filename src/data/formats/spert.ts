/**
 * SpERT JSON: a JSON array of `{tokens, entities: [{type, start, end}], relations: [{type, head, tail}],
 * orig_id?}` (end exclusive; head/tail index `entities`), with a types file carrying the schema and the
 * symmetric flags. Each sentence becomes a document (id = orig_id, else the record number).
 */
import { z } from 'zod';
import { readJsonArray } from '../json-array.js';
import type { Located } from '../located.js';
import { checkArgumentIndexes, checkSpan, label, parseWith, tokenText } from '../validate.js';
import { countSkippedCompanion, writeAtomicTogether } from '../write.js';
import { jsonArrayText, mapAsync, sentencesOf, toTokenSentence, tokenDocument } from './common.js';
import { countUnreadKeys, type PartShape } from './unread-keys.js';
import { typesFileFor, typesFileSchema, typesFileText } from './types-file.js';
import type { Document } from '../corpus.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const Rec = z.object({
  tokens: z.array(tokenText()),
  entities: z.array(z.object({ type: label(), start: int, end: int })),
  relations: z.array(z.object({ type: label(), head: int, tail: int })).default([]),
  orig_id: z.union([z.string(), z.number()]).optional(),
});

/** The keys the reader reads, part by part (unread-keys.ts). */
const SHAPE: PartShape = {
  kind: 'record',
  known: ['tokens', 'entities', 'relations', 'orig_id'],
  lists: ['tokens', 'entities', 'relations'],
  parts: { entities: { kind: 'entity', known: ['type', 'start', 'end'] }, relations: { kind: 'relation', known: ['type', 'head', 'tail'] } },
};

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonArray(file)) {
    countUnreadKeys(value, SHAPE, 'spert', loc, opts.diagnostics);
    const r = parseWith(Rec, value, loc);
    r.entities.forEach((e, i) => checkSpan(e.start, e.end, r.tokens.length, loc, `entities[${i}]`));
    checkArgumentIndexes(r.relations, r.entities.length, `the record has ${r.entities.length}`, loc);
    yield { value: tokenDocument(String(r.orig_id ?? loc.line), [r]), loc };
  }
}

export const spert: Format = {
  name: 'spert',
  description: 'SpERT JSON array of {tokens, entities:[{type,start,end}], relations:[{type,head,tail}]} + types file',
  read,
  schema: typesFileSchema,
  write: async (docs, schema, out, diagnostics) => {
    // The data and its types file together: a failure leaves neither half of a new pair.
    await writeAtomicTogether([
      { out, pieces: jsonArrayText(mapAsync(sentencesOf('spert', docs, diagnostics), ([d, s, id]) => ({ ...toTokenSentence(d, s), orig_id: id }))) },
      { out: typesFileFor(out), pieces: [typesFileText(schema)] },
    ], countSkippedCompanion(diagnostics, 'the types file'));
  },
};
