/**
 * `entrel calibrate`: fits a model's score maps on annotated (dev) data and writes the model with them
 * (model/score-map.ts). The model's predictions do not change; its scores then say how often an item
 * with that score is right on data like this.
 */
import { basename, join } from 'node:path';
import { mergeSchemas } from '../data/corpus.js';
import { calibration, scoredItems, type CalibrationReport, type ItemScores } from '../eval/index.js';
import { UserError } from '../errors.js';
import { loadModelDir, readModelDir, saveModelDir } from '../model/io.js';
import { modelPath } from '../model/model-ref.js';
import { applyScoreMap, fitScoreMap, type ScoreMaps } from '../model/score-map.js';
import { predictFile, type DataOptions } from './evaluate.js';
import { emitWarning, warnAbout } from './warnings.js';

interface CalibrateResult {
  maps: ScoreMaps;
  /** On the data fitted on: the model's own scores, then the mapped ones. */
  before: CalibrationReport;
  after: CalibrationReport;
}

export async function calibrateModel(modelRef: string, dataFile: string, outDir: string, opts: DataOptions = {}): Promise<CalibrateResult> {
  const modelDir = modelPath(modelRef); // a model package's name or directory: its model folder
  const { split, schema, predicted, scores } = await predictFile(modelDir, dataFile, { ...opts, rawScores: true });
  if (!scores) throw new Error('internal: predictFile gave no scores for one model'); // only a vote has none
  const options = { schema: mergeSchemas(schema, split.schema), paperCompat: opts.paperCompat, goldFile: dataFile };
  const items = scoredItems(split.documents, predicted, scores, options);
  // A map fitted on nothing would be the identity, and the model would still say it is calibrated; but a
  // kind the model has no type of has no scores to calibrate (an entities-only model): said, not refused.
  const types = { entities: { n: schema.entityTypes.length, type: 'entity' }, relations: { n: schema.relationTypes.length, type: 'relation' } };
  for (const kind of ['entities', 'relations'] as const)
    if (types[kind].n === 0)
      warnAbout(opts.onWarning ?? emitWarning, dataFile, `the model has no ${types[kind].type} types, so it has no ${types[kind].type} scores to calibrate: that map is left as the identity`);
    else if (items[kind].length === 0)
      throw new UserError(`the model predicts no ${kind} in this data, so there is nothing to fit their scores on: calibrate on annotated data where it does (dev)`, { file: dataFile });
  const maps: ScoreMaps = { entities: fitScoreMap(items.entities), relations: fitScoreMap(items.relations), fittedOn: basename(dataFile) };
  const map = (m: ScoreMaps['entities'], xs: ItemScores) => xs.map((d) => d.map((s) => s.map((x) => applyScoreMap(m, x))));
  const mapped = { entities: map(maps.entities, scores.entities), relations: map(maps.relations, scores.relations) };
  const { model, schema: modelSchema, meta } = loadModelDir(modelDir);
  // The model files only (a README or log beside the input model is not copied), replacing an earlier model.
  saveModelDir(outDir, model, modelSchema, { ...meta, calibration: maps }, 'calibrated model');
  return { maps, before: calibration(split.documents, predicted, scores, options), after: calibration(split.documents, predicted, mapped, options) };
}

/**
 * Why fitting on `dataFile` would mislead, if the model was trained on a file of its name (its recorded
 * `meta.trainConfig.data.train`; the bundled model's includes CoNLL04 dev): a map fitted on training data
 * says items are right more often than they are on new data.
 */
export function trainedOnWarning(modelRef: string, dataFile: string): string | undefined {
  const modelDir = modelPath(modelRef);
  const train = [(readModelDir(modelDir).meta.trainConfig as { data?: { train?: unknown } } | undefined)?.data?.train ?? []].flat();
  if (train.some((f) => typeof f === 'string' && basename(f) === basename(dataFile)))
    return `the model was trained on a file of this name (${join(modelDir, 'config.json')}: meta.trainConfig.data.train): calibrate on data it was not trained on, or the scores will overstate how often items are right`;
}
