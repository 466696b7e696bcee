/**
 * doccano's JSONL export, one document a line: a sequence-labelling project with relations,
 * `{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [{"id",
 * "from_id", "to_id", "type"}]}`, or the plain sequence-labelling export `{"text", "label": [[start, end,
 * "TYPE"], …]}` (also as `entities`, or as `labels`, which doccano 1.x exports and tools that write doccano
 * imports use), which has no relations. Offsets are UTF-16 code units, as doccano's
 * editor counts them (its "count grapheme clusters as one character" option gives other offsets, which
 * are refused where they fall inside a character and otherwise read as they are). The text is cut into
 * sentences and tokens as `extract` cuts it, tokens cut at the entities (spans.ts). Other keys (doccano's
 * `Comments`, metadata) are counted where they hold something, and a near miss of a list key is refused
 * (unread-keys.ts).
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
import { countUnreadKeys, type PartShape } from './unread-keys.js';
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
  labels: z.array(Triple).optional(),
  relations: z.array(z.object({ from_id: id, to_id: id, type: label() })).optional(),
});

/** The keys the reader reads, part by part (unread-keys.ts). */
const SHAPE: PartShape = {
  kind: 'record',
  known: ['id', 'text', 'entities', 'label', 'labels', 'relations'],
  lists: ['entities', 'label', 'relations'],
  parts: {
    entities: { kind: 'entity', known: ['id', 'label', 'start_offset', 'end_offset'] },
    relations: { kind: 'relation', known: ['id', 'from_id', 'to_id', 'type'] },
  },
};

/** The keys that may hold the entities, of which a record has one. */
const ENTITY_LISTS = ['entities', 'label', 'labels'] as const;

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonLines(file)) {
    for (const key of ['label', 'labels'] as const) {
      const labels = (value as Record<string, unknown> | null)?.[key];
      if (Array.isArray(labels) && labels.length && labels.every((l) => typeof l === 'string'))
        fail(`"${key}" holds types of the whole text (doccano's text classification export), not entity spans`, loc, key);
    }
    countUnreadKeys(value, SHAPE, 'doccano', loc, opts.diagnostics);
    const r = parseWith(Rec, value, loc);
    const given = ENTITY_LISTS.filter((key) => r[key] !== undefined);
    if (given.length > 1) fail(`both ${given.map((k) => `"${k}"`).join(' and ')}: which holds the entities?`, loc, given[1]);
    const docId = r.id === undefined ? `line-${loc.line}` : String(r.id);
    if (r.text.trim() === '') {
      opts.diagnostics.warn('empty-document-dropped', `${file}:${loc.line} ${quote(docId)}`);
      continue;
    }
    const at = (field: string) => `${file}:${loc.line} ${field}`;
    const listed = given[0] ?? 'entities';
    const entities: CharEntity[] = (r[listed] ?? []).map((e, k) => {
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
