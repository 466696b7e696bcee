/**
 * doccano's JSONL export, one document a line: a sequence-labelling project with relations,
 * `{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [{"id",
 * "from_id", "to_id", "type"}]}`, or the plain sequence-labelling export `{"text", "label": [[start, end,
 * "TYPE"], …]}` (also as `entities`), which has no relations. Offsets are UTF-16 code units, as doccano's
 * editor counts them (its "count grapheme clusters as one character" option gives other offsets, which
 * are refused where they fall inside a character and otherwise read as they are). The text is cut into
 * sentences and tokens as `extract` cuts it, tokens cut at the entities (spans.ts). Other keys (doccano's
 * `Comments`, metadata) are ignored.
 */
import { z } from 'zod';
import { quote } from '../../errors.js';
import type { Document } from '../corpus.js';
import type { Diagnostics } from '../diagnostics.js';
import { readJsonLines } from '../json-lines.js';
import type { Located } from '../located.js';
import { fail, label, parseWith } from '../validate.js';
import { writeAtomic, type Source } from '../write.js';
import { countSymmetricNotKept, jsonLinesText } from './common.js';
import { attachRelations, charSpans, checkCharSpan, countSplitChanges, placeOnText, type CharEntity, type CharRelation } from './spans.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const id = z.union([z.number(), z.string()]);
const Triple = z.tuple([int, int, label()]).rest(z.unknown());
const Entity = z.object({ id, label: label(), start_offset: int, end_offset: int });
const Rec = z.object({
  id: id.optional(),
  text: z.string(),
  entities: z.array(z.union([Entity, Triple])).optional(),
  label: z.array(Triple).optional(),
  relations: z.array(z.object({ from_id: id, to_id: id, type: label() })).optional(),
});

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonLines(file)) {
    const labels = (value as { label?: unknown } | null)?.label;
    if (Array.isArray(labels) && labels.length && labels.every((l) => typeof l === 'string'))
      fail('"label" holds types of the whole text (doccano\'s text classification export), not entity spans', loc, 'label');
    const r = parseWith(Rec, value, loc);
    if (r.entities && r.label) fail('both "entities" and "label": which holds the entities?', loc, 'label');
    const docId = r.id === undefined ? `line-${loc.line}` : String(r.id);
    if (r.text.trim() === '') {
      opts.diagnostics.warn('empty-document-dropped', `${file}:${loc.line} ${quote(docId)}`);
      continue;
    }
    const at = (field: string) => `${file}:${loc.line} ${field}`;
    const listed = r.entities ? 'entities' : 'label';
    const entities: CharEntity[] = (r.entities ?? r.label ?? []).map((e, k) => {
      const field = `${listed}[${k}]`;
      const [eid, type, start, end] = Array.isArray(e) ? [`T${k + 1}`, e[2], e[0], e[1]] : [String(e.id), e.label, e.start_offset, e.end_offset];
      checkCharSpan(r.text, start, end, loc, field);
      return { id: eid, type, start, end, where: at(`${field} ${quote(r.text.slice(start, end), 40)}`) };
    });
    const ids = new Set<string>();
    entities.forEach((e, k) => {
      if (ids.has(e.id)) fail(`duplicate entity id ${quote(e.id)}`, loc, `entities[${k}].id`);
      ids.add(e.id);
    });
    const relations: CharRelation[] = (r.relations ?? []).map((x, k) => {
      for (const key of ['from_id', 'to_id'] as const)
        if (!ids.has(String(x[key]))) fail(`no entity with id ${quote(String(x[key]))}`, loc, `relations[${k}].${key}`);
      return { type: x.type, head: String(x.from_id), tail: String(x.to_id), where: at(`relations[${k}] ${x.type}`) };
    });
    const { sentences, placed } = placeOnText(r.text, entities, opts.tokenizer ?? 'ptb', opts.diagnostics, 'doccano');
    attachRelations(sentences, placed, relations, opts.diagnostics);
    yield { value: { id: docId, text: r.text, sentences }, loc };
  }
}

async function* records(docs: Source<Document>, diagnostics?: Diagnostics) {
  for await (const d of docs) {
    // doccano refuses an empty text ("The empty text is not allowed")
    if (d.text.trim() === '') {
      diagnostics?.warn('empty-document-dropped', quote(d.id));
      continue;
    }
    if (diagnostics) countSplitChanges(d, diagnostics);
    const { entities, relations } = charSpans(d, 'doccano');
    const overlapping = entities.filter((e, k) => entities.some((o, j) => j !== k && o.start < e.end && e.start < o.end)).length;
    if (overlapping) diagnostics?.warn('doccano-overlapping-entities', `${quote(d.id)}: ${overlapping} entities overlap another (doccano imports them only into a project that allows overlapping entities)`);
    yield doccanoLine(d.id, d.text, entities, relations);
  }
}

/**
 * A doccano import line: the text with its entities (UTF-16 offsets, as doccano counts) and the relations
 * between them, numbered 1, 2, … as doccano's own export numbers them.
 */
export function doccanoLine(
  id: string,
  text: string,
  entities: readonly { id: string; type: string; start: number; end: number }[],
  relations: readonly { type: string; head: string; tail: string }[],
) {
  const num = new Map(entities.map((e, k) => [e.id, k + 1]));
  return {
    id,
    text,
    entities: entities.map((e) => ({ id: num.get(e.id), label: e.type, start_offset: e.start, end_offset: e.end })),
    relations: relations.map((x, k) => ({ id: k + 1, from_id: num.get(x.head), to_id: num.get(x.tail), type: x.type })),
  };
}

export const doccano: Format = {
  name: 'doccano',
  description: "doccano JSONL export: raw text, character-offset entities and relations (read with entrel's sentence splitter and tokenizer)",
  read,
  write: (docs, schema, out, diagnostics) => {
    countSymmetricNotKept(schema, diagnostics);
    return writeAtomic(out, jsonLinesText(records(docs, diagnostics)));
  },
};
