/**
 * Label Studio's JSON export (a JSON array of tasks) of a text project with `<Labels>` and `<Relations>`:
 * `{"id", "data": {"text", …}, "annotations": [{"result": [...], "was_cancelled"}], "predictions"}`.
 * - The text is the field of `data` named as the results' `to_name` (Label Studio's templates give a `<Text>`
 *   the name of the field it shows), else `data.text`, else the one string field of `data`. The document id is
 *   `data.id` (what entrel writes), else the task's `id`.
 * - A task's annotation: the one marked `ground_truth`, else the first not cancelled; the others are
 *   counted. A task without one (unlabelled, skipped, or with predictions only) is dropped and counted: its
 *   empty annotation would teach that nothing is there. With `labelStudioResults: 'predictions'` the
 *   task's last prediction is read instead (a model's output, to view or score against the annotations).
 * - `labels` results are entities: `value.start`/`value.end` count code points, as Label Studio does
 *   (older versions counted UTF-16 units: where `value.text` says so, they are read so; where it matches
 *   neither, it is counted); the first of several labels (two `<Labels>` controls give one region id
 *   twice), all on one `<Text>`. `relation` results are relations by result id, `direction` `right`
 *   (from → to), `left` (to → from) or `bi` (read as from → to, counted), a relation for each of its
 *   `labels` (`<Relations choice="multiple">`; one without a label is dropped, counted). Other results
 *   (choices, text areas, HTML labels) are counted.
 * The text is cut into sentences and tokens as `extract` cuts it, tokens cut at the entities (spans.ts).
 * The writer writes each document's entities and relations as its annotation, for the labelling config
 * `<Labels name="label" toName="text">` and `<Relations>` over `<Text name="text" value="$text">`.
 */
import { z } from 'zod';
import { described, formatWhere, quote } from '../../errors.js';
import type { Document, LabelSchema } from '../corpus.js';
import { escapeHtml } from '../escape.js';
import type { Diagnostics } from '../diagnostics.js';
import { readJsonArray } from '../json-array.js';
import type { Located } from '../located.js';
import { fail, parseWith } from '../validate.js';
import { countSkippedCompanion, writeAtomicTogether, type Source } from '../write.js';
import { countSymmetricNotKept, growingSchema, jsonArrayText } from './common.js';
import { attachRelations, charSpans, codePointOffsets, countSplitChanges, fromCodePoints, placeOnText, type CharEntity, type CharRelation } from './spans.js';
import type { Format, ReadOptions } from './types.js';

const id = z.union([z.number(), z.string()]);
const Result = z.looseObject({
  id: id.optional(),
  type: z.string(),
  value: z.looseObject({}).optional(),
  from_id: id.optional(),
  to_id: id.optional(),
  direction: z.enum(['right', 'left', 'bi']).optional(),
  labels: z.array(z.string()).optional(),
});
const Annotation = z.looseObject({ result: z.array(Result), was_cancelled: z.boolean().optional(), ground_truth: z.boolean().optional() });
const Prediction = z.looseObject({ result: z.array(Result) });
// Predictions are checked only where they are read.
const Task = z.looseObject({ id: id.optional(), data: z.record(z.string(), z.unknown()), annotations: z.array(Annotation).optional(), predictions: z.unknown() });
const Labels = z.looseObject({ start: z.number().int(), end: z.number().int(), text: z.string().optional(), labels: z.array(z.string().min(1, 'empty type')).min(1, 'no label') });

/**
 * A task's text, by the one rule of the reader and the ML backend (server/routes/labelstudio.ts): `data`'s
 * `field` (the labelling config's `<Text value="$field">`; an export does not say, so `text`), else, when
 * `data` has no such field, its one string field. Otherwise why not, and the field (under the task) to
 * name; each caller throws its own kind of error.
 */
export function taskText(data: Record<string, unknown>, field = 'text'): { text: string } | { why: string; field: string } {
  const v = data[field];
  if (typeof v === 'string') return { text: v };
  if (v !== undefined) return { why: `expected a string, got ${described(v)}`, field: `data.${field}` };
  const strings = Object.keys(data).filter((k) => typeof data[k] === 'string');
  if (strings.length === 1) return { text: data[strings[0]] as string };
  const why = strings.length ? `no ${quote(field)} and several string fields (${strings.map((k) => quote(k)).join(', ')}): which is the text?` : `no ${quote(field)} and no string field to read the text from`;
  return { why, field: 'data' };
}

/**
 * The task's text, or a UserError naming the record: `data`'s field named as a result's `to_name` (an
 * export does not hold the config's `value="$field"`, but a `<Text>` is mostly named after it), else taskText's.
 */
function textOf(data: Record<string, unknown>, results: readonly z.infer<typeof Result>[], loc: Located<unknown>['loc']): string {
  const named = results.map((r) => r.to_name).find((n): n is string => typeof n === 'string' && Object.hasOwn(data, n));
  const t = taskText(data, named);
  return 'text' in t ? t.text : fail(t.why, loc, t.field);
}

/** Which results of a task are read: `field` (annotations or predictions) item `k`. */
interface Chosen {
  /** The annotation or prediction read. */
  item: { result: z.infer<typeof Result>[] };
  k: number;
  field: 'annotations' | 'predictions';
}

/** The task's annotation: the ground truth, else the first not cancelled (none: dropped, counted). */
function annotation(task: z.infer<typeof Task>, where: string, d: Diagnostics): Chosen | undefined {
  const done = (task.annotations ?? []).map((item, k) => ({ item, k, field: 'annotations' as const })).filter(({ item }) => !item.was_cancelled);
  const chosen = done.find(({ item }) => item.ground_truth) ?? done[0];
  if (!chosen) {
    // A model's predictions are no annotation: training on them would teach the model its own mistakes.
    if (Array.isArray(task.predictions) && task.predictions.length > 0)
      d.warn('labelstudio-task-with-only-predictions-dropped', `${where} (a model's predictions are read with --ls-results predictions: stats, convert, view, evaluate, compare, vote)`);
    else d.warn('labelstudio-task-without-annotation-dropped', where);
    return undefined;
  }
  if (done.length > 1) d.warn('labelstudio-other-annotations-ignored', `${where}: ${done.length - 1} besides annotations[${chosen.k}]`);
  return chosen;
}

/** The task's last (newest) prediction (none: dropped, counted). */
function prediction(task: z.infer<typeof Task>, where: string, loc: Located<unknown>['loc'], d: Diagnostics): Chosen | undefined {
  const all = parseWith(z.array(z.unknown()).optional(), task.predictions, loc, ['predictions']) ?? [];
  if (all.length === 0) {
    d.warn('labelstudio-task-without-prediction-dropped', where);
    return undefined;
  }
  const k = all.length - 1;
  if (k > 0) d.warn('labelstudio-other-predictions-ignored', `${where}: ${k} besides predictions[${k}], the last`);
  return { item: parseWith(Prediction, all[k], loc, ['predictions', k]), k, field: 'predictions' };
}

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  const d = opts.diagnostics;
  for await (const { value, loc } of readJsonArray(file)) {
    const task = parseWith(Task, value, loc);
    const own = task.data.id;
    const docId = typeof own === 'string' || typeof own === 'number' ? String(own) : task.id !== undefined ? String(task.id) : `record-${loc.line}`;
    const where = `${formatWhere(loc)} task ${quote(docId)}`;
    const chosen = opts.labelStudioResults === 'predictions' ? prediction(task, where, loc, d) : annotation(task, where, d);
    if (!chosen) continue;
    const text = textOf(task.data, chosen.item.result, loc);
    if (text.trim() === '') {
      d.warn('empty-document-dropped', where);
      continue;
    }
    const at = (k: number) => `${chosen.field}[${chosen.k}].result[${k}]`;
    const units = fromCodePoints(text);
    const codePoints = [...text].length;
    const byId = new Map<string, CharEntity & { k: number }>();
    const relations: (CharRelation & { k: number; from: string; to: string })[] = [];
    const objects = new Set<string>();
    chosen.item.result.forEach((r, k) => {
      if (r.type === 'labels') {
        const v = parseWith(Labels, r.value, loc, [...at(k).split('.'), 'value']);
        if (r.id === undefined) fail('a labels result without its "id" (relations name entities by it)', loc, `${at(k)}.id`);
        if (typeof r.to_name === 'string') objects.add(r.to_name);
        if (objects.size > 1) fail(`labels on several objects (${[...objects].map((o) => quote(o)).join(', ')}): entrel reads one text a task`, loc, `${at(k)}.to_name`);
        if (v.start < 0) fail(`start ${v.start} is negative`, loc, `${at(k)}.value`);
        if (v.end <= v.start) fail(`end ${v.end} is not after start ${v.start}`, loc, `${at(k)}.value`);
        // Label Studio counts code points; older versions counted UTF-16 units, which `text` tells apart.
        const asUnits = v.end <= text.length ? [v.start, v.end] : undefined;
        const asCodePoints = v.end <= codePoints ? [units(v.start), units(v.end)] : undefined;
        const says = (x: number[] | undefined) => x !== undefined && text.slice(x[0], x[1]) === v.text;
        const span = v.text === undefined || says(asCodePoints) ? asCodePoints : says(asUnits) ? asUnits : asCodePoints;
        if (!span) fail(`span ${v.start}–${v.end} is not within the text (${codePoints} characters)`, loc, `${at(k)}.value`);
        const [start, end] = span;
        if (v.text !== undefined && text.slice(start, end) !== v.text)
          d.warn('labelstudio-entity-text-mismatch', `${where} ${at(k)} ${quote(v.text, 40)} vs ${quote(text.slice(start, end), 40)}`);
        const id = String(r.id);
        const same = byId.get(id);
        // Two <Labels> controls on one region: results with one id, one span, a label each.
        if (same && (same.start !== start || same.end !== end)) fail(`two labels results with id ${quote(id)} and different spans`, loc, `${at(k)}.id`);
        if (same || v.labels.length > 1) d.warn('labelstudio-extra-labels-ignored', `${where} ${at(k)}: ${v.labels.map((l) => quote(l)).join(', ')}`);
        if (!same) byId.set(id, { id, type: v.labels[0], start, end, k, where: `${where} ${at(k)} ${quote(text.slice(start, end), 40)}` });
      } else if (r.type === 'relation') {
        if (r.from_id === undefined || r.to_id === undefined) fail('a relation result needs "from_id" and "to_id"', loc, at(k));
        const types = (r.labels ?? []).filter((t) => t !== '');
        if (types.length === 0) return d.warn('labelstudio-unlabelled-relation-dropped', `${where} ${at(k)}`);
        const [from, to] = [String(r.from_id), String(r.to_id)];
        const [head, tail] = r.direction === 'left' ? [to, from] : [from, to];
        for (const type of types) {
          if (r.direction === 'bi') d.warn('labelstudio-bidirectional-relation-read-from-to', `${where} ${at(k)} ${type} (mark a symmetric type so in a --types file)`);
          relations.push({ type, head, tail, where: `${where} ${at(k)} ${type}`, k, from, to });
        }
      } else d.warn('labelstudio-result-ignored', `${where} ${at(k)} (type ${quote(r.type)})`);
    });
    const entities = [...byId.values()];
    for (const r of relations)
      for (const [name, ref] of [['from_id', r.from], ['to_id', r.to]] as const)
        if (!byId.has(ref)) fail(`no labels result with id ${quote(ref)}`, loc, `${at(r.k)}.${name}`);
    const { sentences, placed } = placeOnText(text, entities, opts.tokenizer ?? 'ptb', d, 'labelstudio');
    attachRelations(sentences, placed, relations, d);
    yield { value: { id: docId, text, sentences }, loc };
  }
}

/** Where a result goes in a project: its `<Labels>` control and the `<Text>` it labels. */
interface ResultNames {
  from: string;
  to: string;
}

/** entrel's own labelling config's names (`labelConfigText`). */
export const OWN_NAMES: ResultNames = { from: 'label', to: 'text' };

/** The labelling config beside a Label Studio file: `pre.json` → `pre.label-config.xml`. */
export function labelConfigFor(out: string): string {
  return `${out.replace(/\.json$/i, '')}.label-config.xml`;
}

/**
 * The labelling config a Label Studio project needs to show such tasks (paste it into the project's
 * Labeling Interface, Code): the schema's entity types as `<Labels>`, its relation types as `<Relations>`.
 */
export function labelConfigText(schema: Pick<LabelSchema, 'entityTypes' | 'relationTypes'>): string {
  // Label Studio refuses a <Labels> without a <Label>: a schema without entity types has none.
  const block = (open: string, close: string, lines: string[]) => (lines.length ? [open, ...lines, close] : []);
  return [
    '<View>',
    ...block('  <Relations>', '  </Relations>', schema.relationTypes.map((r) => `    <Relation value="${escapeHtml(r.name)}"/>`)),
    ...block(`  <Labels name="${OWN_NAMES.from}" toName="${OWN_NAMES.to}">`, '  </Labels>', schema.entityTypes.map((t) => `    <Label value="${escapeHtml(t)}"/>`)),
    `  <Text name="${OWN_NAMES.to}" value="$text"/>`,
    '</View>',
    '',
  ].join('\n');
}

/** A `labels` result: the entity `id`, `[start, end)` of `text` (UTF-16; written in code points, `cp`), its label. */
export function labelsResult(id: string, text: string, start: number, end: number, label: string, cp: (utf16: number) => number, names: ResultNames = OWN_NAMES) {
  return { id, from_name: names.from, to_name: names.to, type: 'labels', value: { start: cp(start), end: cp(end), text: text.slice(start, end), labels: [label] } };
}

/** A `relation` result from the entity `head` to `tail`. */
export function relationResult(head: string, tail: string, label: string) {
  return { from_id: head, to_id: tail, type: 'relation', direction: 'right', labels: [label] };
}

async function* tasks(docs: Source<Document>, diagnostics: Diagnostics | undefined, declared: ReturnType<typeof growingSchema>) {
  for await (const d of docs) {
    declared.add(d);
    if (d.text.trim() === '') {
      diagnostics?.warn('empty-document-dropped', quote(d.id));
      continue;
    }
    if (diagnostics) countSplitChanges(d, diagnostics);
    const { entities, relations } = charSpans(d, 'labelstudio');
    const cp = codePointOffsets(d.text); // Label Studio counts code points
    const result = [...entities.map((e) => labelsResult(e.id, d.text, e.start, e.end, e.type, cp)), ...relations.map((r) => relationResult(r.head, r.tail, r.type))];
    yield { data: { text: d.text, id: d.id }, annotations: [{ result }] };
  }
}

export const labelstudio: Format = {
  name: 'labelstudio',
  description: "Label Studio JSON export of a text project with labels and relations (read with entrel's sentence splitter and tokenizer)",
  read,
  write: (docs, schema, out, diagnostics) => {
    countSymmetricNotKept(schema, diagnostics);
    // The schema's types and those the documents add, known once the tasks are written.
    const declared = growingSchema(schema);
    return writeAtomicTogether([
      { out, pieces: jsonArrayText(tasks(docs, diagnostics, declared)) },
      { out: labelConfigFor(out), pieces: (async function* () { yield labelConfigText(declared.schema); })() },
    ], countSkippedCompanion(diagnostics, 'the labelling config'));
  },
};
