/**
 * `entrel calibrate`: fits a model's score maps on annotated (dev) data and writes the model with them
 * (model/score-map.ts). The model's predictions do not change; its scores then say how often an item
 * with that score is right on data like this.
 */
import { basename } from 'node:path';
import { mergeSchemas } from '../data/corpus.js';
import { calibration, scoredItems, type CalibrationReport, type ItemScores } from '../eval/index.js';
import { loadModelDir, saveModelDir } from '../model/io.js';
import { applyScoreMap, fitScoreMap, type ScoreMaps } from '../model/score-map.js';
import { predictFile, type DataOptions } from './evaluate.js';

export interface CalibrateResult {
  maps: ScoreMaps;
  /** On the data fitted on: the model's own scores, then the mapped ones. */
  before: CalibrationReport;
  after: CalibrationReport;
}

export async function calibrateModel(modelDir: string, dataFile: string, outDir: string, opts: DataOptions = {}): Promise<CalibrateResult> {
  const { split, schema, predicted, scores } = await predictFile(modelDir, dataFile, { ...opts, rawScores: true });
  const options = { schema: mergeSchemas(schema, split.schema), paperCompat: opts.paperCompat, goldFile: dataFile };
  const items = scoredItems(split.documents, predicted, scores!, options);
  const maps: ScoreMaps = { entities: fitScoreMap(items.entities), relations: fitScoreMap(items.relations), fittedOn: basename(dataFile) };
  const map = (m: ScoreMaps['entities'], xs: ItemScores) => xs.map((d) => d.map((s) => s.map((x) => applyScoreMap(m, x))));
  const mapped = { entities: map(maps.entities, scores!.entities), relations: map(maps.relations, scores!.relations) };
  const { model, schema: modelSchema, meta } = loadModelDir(modelDir);
  saveModelDir(outDir, model, modelSchema, { ...meta, calibration: maps });
  return { maps, before: calibration(split.documents, predicted, scores!, options), after: calibration(split.documents, predicted, mapped, options) };
}
