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
import { doccanoLine } from '../data/formats/doccano.js';
import { labelsResult, relationResult } from '../data/formats/labelstudio.js';
import { codePointOffsets } from '../data/formats/spans.js';
import { checkDocument } from './args.js';
import { DEFAULT_TARGET, projectLabel, type LabelStudioTarget } from './label-config.js';
import type { ExtractedDocument } from './types.js';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * The extraction as a Label Studio prediction by `modelVersion` for `target`: regions on its `<Text>`
 * through its `<Labels>` (only types it offers, and relations whose types it offers between kept regions),
 * offsets in code points, each with the model's score; the prediction's score is their mean.
 */
export function labelStudioPrediction(doc: ExtractedDocument, modelVersion: string, target: LabelStudioTarget = DEFAULT_TARGET): { model_version: string; score: number; result: unknown[] } {
  checkDocument(doc, 'doc');
  const cp = codePointOffsets(doc.text);
  // The model's types under the project's names (`predicted_values`), then only those the project offers.
  const label = (type: string) => projectLabel(target.entityMap, type);
  const relationLabel = (type: string) => projectLabel(target.relationMap, type);
  const entities = doc.entities.filter((e) => target.entityTypes?.has(label(e.type)) ?? true);
  const kept = new Set(entities.map((e) => e.id));
  const relations = doc.relations.filter((r) => kept.has(r.head) && kept.has(r.tail) && (target.relationTypes?.has(relationLabel(r.type)) ?? true));
  const names = { from: target.labelsName, to: target.textName };
  const result = [
    ...entities.map((e) => ({ ...labelsResult(e.id, doc.text, e.start, e.end, label(e.type), cp, names), score: e.score })),
    ...relations.map((r) => ({ ...relationResult(r.head, r.tail, relationLabel(r.type)), score: r.score })),
  ];
  // Label Studio's "prediction score", to sort the least sure tasks first.
  return { model_version: modelVersion, score: mean([...entities.map((e) => e.score), ...relations.map((r) => r.score)]), result };
}

/** A Label Studio task with the extraction as its prediction by `modelVersion`. */
export function toLabelStudioTask(id: string, doc: ExtractedDocument, modelVersion: string): unknown {
  return { data: { text: doc.text, id }, predictions: [labelStudioPrediction(doc, modelVersion)] };
}

/** A doccano import line with the extraction as its annotation. */
export function toDoccanoLine(id: string, doc: ExtractedDocument): unknown {
  checkDocument(doc, 'doc');
  return doccanoLine(id, doc.text, doc.entities, doc.relations);
}
