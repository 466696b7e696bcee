/**
 * "Unified" JSON of Wang & Lu 2020 (CoNLL04 two-are-better; ADE has the same shape): a JSON array of
 * `{tokens, entities: [[start, endExclusive, type]], relations: [[s1, e1, s2, e2, type]]}`, one sentence
 * a record. Relations name their arguments by span, the first entity of that span (where entities of two
 * types share it, counted both ways: `relation-argument-ambiguous`); each sentence becomes a document,
 * named by its record number (the writer counts the document ids, splits and symmetric flags this loses).
 * `ace05` reads ACE05 as the paper does (ace05.ts).
 */
import { z } from 'zod';
import { readJsonArray } from '../json-array.js';
import type { Located } from '../located.js';
import { writeAtomic } from '../write.js';
import { checkSpan, fail, label, parseWith, tokenText } from '../validate.js';
import { formatWhere, quote } from '../../errors.js';
import { countAmbiguousArguments, countSymmetricNotKept, jsonArrayText, mapAsync, sentencesOf, spanIndex, toTokenSentence, tokenDocument, warnAmbiguousArgument } from './common.js';
import type { Document } from '../corpus.js';
import { countUnreadKeys } from './unread-keys.js';
import { ACE05_SCHEMA, inTextOrder } from './ace05.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const Rec = z.object({
  tokens: z.array(tokenText()),
  entities: z.array(z.tuple([int, int, label()])).default([]),
  relations: z.array(z.tuple([int, int, int, int, label()])).default([]),
});

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonArray(file)) {
    countUnreadKeys(value, { kind: 'record', known: ['tokens', 'entities', 'relations'], lists: ['tokens', 'entities', 'relations'] }, 'unified', loc, opts.diagnostics);
    const r = parseWith(Rec, value, loc);
    const entities = r.entities.map(([start, end, type], i) => {
      checkSpan(start, end, r.tokens.length, loc, `entities[${i}]`);
      return { type, start, end };
    });
    const spans = spanIndex(entities);
    const argument = (s: number, e: number, field: string) => {
      const at = spans.get(`${s}:${e}`);
      if (!at) fail(`no entity with span [${s}, ${e})`, loc, field);
      warnAmbiguousArgument(at.map((k) => entities[k].type), opts.diagnostics, `${formatWhere(loc)} ${field} [${s}, ${e})`);
      return at[0];
    };
    const relations = r.relations.map(([s1, e1, s2, e2, type], i) => ({
      type,
      head: argument(s1, e1, `relations[${i}][0]`),
      tail: argument(s2, e2, `relations[${i}][2]`),
    }));
    const sentence = { tokens: r.tokens, entities, relations };
    yield { value: tokenDocument(String(loc.line), [opts.ace05 ? inTextOrder(sentence) : sentence]), loc };
  }
}

export const unified: Format = {
  name: 'unified',
  description: 'JSON array of {tokens, entities:[[s,e,type]], relations:[[s1,e1,s2,e2,type]]} (CoNLL04, ADE; --ace05 for ACE05)',
  read,
  schema: async (_file, opts) => (opts.ace05 ? ACE05_SCHEMA : undefined),
  write: (docs, schema, out, diagnostics) => {
    countSymmetricNotKept(schema, diagnostics);
    let record = 0;
    return writeAtomic(
      out,
      jsonArrayText(
        mapAsync(sentencesOf('unified', docs, diagnostics), ([d, s]) => {
          // records have no id field: the reader names each document by its record number
          record++;
          const n = d.sentences.length;
          if (s === d.sentences[0] && (n > 1 || d.id !== String(record)))
            diagnostics?.warn('document-id-not-kept', `${quote(d.id)} (read back as ${n > 1 ? `${record}…${record + n - 1}` : record})`);
          const t = toTokenSentence(d, s);
          countAmbiguousArguments(t, d.id, diagnostics);
          return {
            tokens: t.tokens,
            entities: t.entities.map((e) => [e.start, e.end, e.type]),
            relations: t.relations.map((r) => {
              const h = t.entities[r.head];
              const x = t.entities[r.tail];
              return [h.start, h.end, x.start, x.end, r.type];
            }),
          };
        }),
      ),
    );
  },
};
