/**
 * Extractions as the annotation tools import them, to correct there and read back as training data
 * (data/formats/labelstudio.ts, doccano.ts):
 * - Label Studio: a task `{data: {text, id}, predictions: [{model_version, score, result}]}`, shown as a
 *   pre-annotation the annotator accepts or corrects; regions carry the model's scores (Label Studio
 *   sorts and filters tasks by them). Offsets in code points, as Label Studio counts.
 * - doccano: a line `{id, text, entities, relations}` of its sequence-labelling-with-relations import
 *   (doccano has no predictions: they come in as the annotation). Offsets in UTF-16 units, as doccano counts.
 * Both for the labelling config entrel's Label Studio writer assumes: `<Labels name="label" toName="text">`,
 * `<Relations>`, `<Text name="text" value="$text">`.
 */
import { codePointOffsets } from '../data/formats/spans.js';
import { checkDocument } from './args.js';
import type { ExtractedDocument } from './types.js';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** A Label Studio task with the extraction as its prediction by `modelVersion`. */
export function toLabelStudioTask(id: string, doc: ExtractedDocument, modelVersion: string): unknown {
  checkDocument(doc, 'doc');
  const cp = codePointOffsets(doc.text);
  const result = [
    ...doc.entities.map((e) => ({
      id: e.id,
      from_name: 'label',
      to_name: 'text',
      type: 'labels',
      value: { start: cp(e.start), end: cp(e.end), text: doc.text.slice(e.start, e.end), labels: [e.type] },
      score: e.score,
    })),
    ...doc.relations.map((r) => ({ from_id: r.head, to_id: r.tail, type: 'relation', direction: 'right', labels: [r.type], score: r.score })),
  ];
  // The task's score: the mean of its items' (Label Studio's "prediction score", to sort the least sure first).
  const score = mean([...doc.entities.map((e) => e.score), ...doc.relations.map((r) => r.score)]);
  return { data: { text: doc.text, id }, predictions: [{ model_version: modelVersion, score, result }] };
}

/** A doccano import line with the extraction as its annotation. */
export function toDoccanoLine(id: string, doc: ExtractedDocument): unknown {
  checkDocument(doc, 'doc');
  const num = new Map(doc.entities.map((e, k) => [e.id, k + 1]));
  return {
    id,
    text: doc.text,
    entities: doc.entities.map((e) => ({ id: num.get(e.id), label: e.type, start_offset: e.start, end_offset: e.end })),
    relations: doc.relations.map((r, k) => ({ id: k + 1, from_id: num.get(r.head), to_id: num.get(r.tail), type: r.type })),
  };
}
