/**
 * DyGIE/PURE JSON Lines (SciERC; ACE05 as DyGIE and PURE ship it): one document a line,
 * `{doc_key, sentences: [[tok]], ner: [[[s, e, type]]], relations: [[[s1, e1, s2, e2, type]]]}` with
 * DOCUMENT-level INCLUSIVE token offsets. They become sentence-relative end-exclusive spans; relations
 * whose arguments lie in two sentences are dropped with a counted warning, and one listed under another
 * sentence than the one both its arguments are in is read there (`dygie-relation-in-wrong-sentence`). A relation names its
 * arguments by span, the first entity of that span (where entities of two types share it, counted both
 * ways: `relation-argument-ambiguous`). Coreference `clusters` and `events`, which a document cannot
 * hold, are dropped, counted a document at a time (`dygie-clusters-dropped`, `dygie-events-dropped`; the
 * writer writes none), and so are other fields (`dataset`, a model's `predicted_ner`) and values after a
 * span's type (a model's scores): `dygie-field-dropped`. `ace05` reads ACE05 as the paper does (ace05.ts);
 * DyGIE's ACE05 holds every line of LSTM-ER's files as a sentence, so their header lines stay sentences.
 */
import { z } from 'zod';
import { readJsonLines } from '../json-lines.js';
import type { Located } from '../located.js';
import { fail, label, parseWith, tokenText } from '../validate.js';
import { writeAtomic, type Source } from '../write.js';
import { countAmbiguousArguments, countSymmetricNotKept, countTextNotKept, jsonLinesText, refuseUnreadable, toTokenSentence, tokenDocument, warnAmbiguousArgument, type TokenSentence } from './common.js';
import { counted, quote } from '../../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Document } from '../corpus.js';
import { ACE05_SCHEMA, inTextOrder } from './ace05.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const Rec = z.object({
  doc_key: z.union([z.string(), z.number()]),
  sentences: z.array(z.array(tokenText())),
  ner: z.array(z.array(z.tuple([int, int, label()]).rest(z.unknown()))).optional(),
  relations: z.array(z.array(z.tuple([int, int, int, int, label()]).rest(z.unknown()))).optional(),
  // annotations entrel has no place for: counted when dropped
  clusters: z.unknown(),
  events: z.unknown(),
});

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonLines(file)) {
    const r = parseWith(Rec, value, loc);
    const n = r.sentences.length;
    for (const key of ['ner', 'relations'] as const)
      if (r[key] !== undefined && r[key].length !== n)
        fail(`${r[key].length} lists for ${n} sentences`, loc, key);
    const offsets: number[] = [];
    let total = 0;
    for (const s of r.sentences) offsets.push(total), (total += s.length);

    // doc-level "s:e" → the [sentence, entity index] of each entity with that span
    const where = new Map<string, [number, number][]>();
    const sentences: TokenSentence[] = r.sentences.map((tokens, si) => {
      const entities = (r.ner?.[si] ?? []).map(([s, e, type], k) => {
        const field = `ner[${si}][${k}]`;
        if (s < 0) fail(`start ${s} is negative`, loc, field);
        if (e < s) fail(`end ${e} is before start ${s} (offsets are inclusive)`, loc, field);
        if (e >= total) fail(`end ${e} is past the end (${total} tokens; offsets are inclusive)`, loc, field);
        if (s < offsets[si] || e >= offsets[si] + tokens.length)
          fail(`span [${s}, ${e}] is outside sentence ${si} (tokens ${offsets[si]}..${offsets[si] + tokens.length - 1})`, loc, field);
        const same = where.get(`${s}:${e}`);
        if (same) same.push([si, k]);
        else where.set(`${s}:${e}`, [[si, k]]);
        return { type, start: s - offsets[si], end: e - offsets[si] + 1 };
      });
      return { tokens, entities, relations: [] };
    });
    const argument = (s: number, e: number, field: string) => {
      const at = where.get(`${s}:${e}`);
      if (!at) fail(`no entity with span [${s}, ${e}]`, loc, field);
      warnAmbiguousArgument(at.map(([si, k]) => sentences[si].entities[k].type), opts.diagnostics, `${file}:${loc.line} ${r.doc_key} ${field} [${s}, ${e}]`);
      return at[0];
    };
    r.relations?.forEach((rels, si) =>
      rels.forEach(([s1, e1, s2, e2, type], k) => {
        const head = argument(s1, e1, `relations[${si}][${k}][0]`);
        const tail = argument(s2, e2, `relations[${si}][${k}][2]`);
        const where = `${file}:${loc.line} ${r.doc_key} ${type} [${s1},${e1}]→[${s2},${e2}]`;
        if (head[0] !== tail[0]) return opts.diagnostics.warn('cross-sentence-relation-dropped', where);
        // A filing error, not a relation across sentences: it goes to the sentence it is in.
        if (head[0] !== si) opts.diagnostics.warn('dygie-relation-in-wrong-sentence', `${where}: listed under sentence ${si}, read in sentence ${head[0]}`);
        sentences[head[0]].relations.push({ type, head: head[1], tail: tail[1] });
      }),
    );
    countDropped(r, value as object, opts.diagnostics, `${file}:${loc.line} ${r.doc_key}`);
    yield { value: tokenDocument(String(r.doc_key), opts.ace05 ? sentences.map(inTextOrder) : sentences), loc };
  }
}

const READ = new Set(['doc_key', 'sentences', 'ner', 'relations', 'clusters', 'events']);

/** What a record holds beyond the document it becomes, counted a kind at a time (see the module comment). */
function countDropped(r: z.infer<typeof Rec>, raw: object, d: Diagnostics, where: string): void {
  const clusters = Array.isArray(r.clusters) ? r.clusters.length : 0; // a list of clusters
  const events = Array.isArray(r.events) ? r.events.flat().length : 0; // a list a sentence
  if (clusters) d.warn('dygie-clusters-dropped', `${where}: ${counted(clusters, 'coreference cluster')}`);
  if (events) d.warn('dygie-events-dropped', `${where}: ${counted(events, 'event')}`);
  for (const key of Object.keys(raw)) if (!READ.has(key)) d.warn('dygie-field-dropped', `${where}: ${quote(key)}`);
  const scored = (r.ner ?? []).flat().filter((x) => x.length > 3).length + (r.relations ?? []).flat().filter((x) => x.length > 5).length;
  if (scored) d.warn('dygie-field-dropped', `${where}: the values after the type of ${counted(scored, 'span')}`);
}

async function* records(docs: Source<Document>, diagnostics?: Diagnostics) {
  for await (const d of docs) {
    refuseUnreadable(d, 'dygie', true);
    countTextNotKept(d, diagnostics);
    let off = 0;
    const ner: unknown[] = [];
    const relations: unknown[] = [];
    const sentences = d.sentences.map((s) => {
      const t = toTokenSentence(d, s);
      countAmbiguousArguments(t, d.id, diagnostics);
      const span = (i: number) => [t.entities[i].start + off, t.entities[i].end + off - 1];
      ner.push(t.entities.map((_, i) => [...span(i), t.entities[i].type]));
      relations.push(t.relations.map((x) => [...span(x.head), ...span(x.tail), x.type]));
      off += t.tokens.length;
      return t.tokens;
    });
    yield { doc_key: d.id, sentences, ner, relations, clusters: [] };
  }
}

export const dygie: Format = {
  name: 'dygie',
  description: 'DyGIE/PURE JSONL, a document a line, document-level inclusive offsets (SciERC, ACE05); --ace05 for ACE05',
  read,
  schema: async (_file, opts) => (opts.ace05 ? ACE05_SCHEMA : undefined),
  write: (docs, schema, out, diagnostics) => {
    countSymmetricNotKept(schema, diagnostics);
    return writeAtomic(out, jsonLinesText(records(docs, diagnostics)));
  },
};
