/**
 * SpERT JSON: a JSON array of `{tokens, entities: [{type, start, end}], relations: [{type, head, tail}],
 * orig_id?}` (end exclusive; head/tail index `entities`), with a types file carrying the schema and the
 * symmetric flags. Each sentence becomes a document (id = orig_id, else the record number).
 */
import { z } from 'zod';
import { readJsonArray } from '../json-array.js';
import type { Located } from '../located.js';
import { checkArgumentIndexes, checkSpan, label, parseWith, tokenText } from '../validate.js';
import { writeAtomicTogether } from '../write.js';
import { jsonArrayText, mapAsync, sentencesOf, toTokenSentence, tokenDocument } from './common.js';
import { findTypesFile, readTypesFile, typesFileFor, typesFileText } from './types-file.js';
import type { Document } from '../corpus.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const Rec = z.object({
  tokens: z.array(tokenText()),
  entities: z.array(z.object({ type: label(), start: int, end: int })),
  relations: z.array(z.object({ type: label(), head: int, tail: int })).default([]),
  orig_id: z.union([z.string(), z.number()]).optional(),
});

async function* read(file: string, _opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonArray(file)) {
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
  schema: async (file, opts) => {
    const types = opts.typesFile ?? (await findTypesFile(file, opts.diagnostics));
    return types === undefined ? undefined : readTypesFile(types);
  },
  write: async (docs, schema, out, diagnostics) => {
    // The data and its types file together: a failure leaves neither half of a new pair.
    await writeAtomicTogether([
      { out, pieces: jsonArrayText(mapAsync(sentencesOf('spert', docs, diagnostics), ([d, s, id]) => ({ ...toTokenSentence(d, s), orig_id: id }))) },
      { out: typesFileFor(out), pieces: [typesFileText(schema)] },
    ]);
  },
};
