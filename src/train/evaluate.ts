/**
 * What `entrel evaluate --model` and `entrel predict` call: load a model directory, predict every
 * sentence of an annotated file, then score against the file's annotation or write the predictions.
 */
import { join } from 'node:path';
import { mergeSchemas, type Document, type LabelSchema, type Sentence } from '../data/corpus.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { writeCorpus, type CorpusOptions } from '../data/formats/index.js';
import { evaluate, resolveMinVotes, vote, type PredictionScores, type EvalReport, type EvaluateOptions } from '../eval/index.js';
import { checkOptions, described, UserError } from '../errors.js';
import type { GloveTable } from '../model/glove.js';
import { modelWordVectors } from '../model/word-vectors.js';
import { encodeTags, type TagScheme } from '../data/bilou.js';
import { loadModelDir, readModelDir } from '../model/io.js';
import { BUNDLED_MODEL_DIR, modelPath, modelRefArg, warnOfCopies, type ModelRef } from '../model/model-ref.js';
import { predictEncodedYielding } from '../model/predict.js';
import { mapScores, readScoreMaps } from '../model/score-map.js';
import type { SentencePrediction } from '../model/types.js';
import { encodeAll, loadSplit, typesPhrase, type Split } from './data.js';
import { predictedDocuments } from './predictions.js';
import { emitWarning, warnAbout, type OnWarning } from './warnings.js';

/** How to read the data file (format, detected when absent; `--types`, `--split`, `--ace05`) and score it. */
export interface DataOptions extends Omit<CorpusOptions, 'diagnostics'> {
  /** Sentences per prediction batch (default 100). */
  batchSize?: number;
  /** Score as the authors' evaluator does (eval/paper-compat.ts). */
  paperCompat?: boolean;
  /** With several model directories: how many must predict an item (default: more than half). */
  minVotes?: number;
  /** The model's own scores even when it has calibrated ones (`entrel calibrate` fits on them). */
  rawScores?: boolean;
  /**
   * The data's own entities given to the model (relation classification with gold entities, the field's
   * other relation score): the model keeps them and finds only the relations between them. Entities of
   * types the model does not know cannot be given; overlapping ones keep the longest (data/bilou.ts).
   */
  goldEntities?: boolean;
  /**
   * Receives what the caller should know: the data file's reading warnings, its types the model does not
   * know, given entities it cannot take, a copy voting twice. Default: `process.emitWarning`.
   */
  onWarning?: OnWarning;
  /** Told how far the work is, for a progress bar: as the model predicts, and as `predictToFile` writes. */
  onProgress?: (progress: PredictProgress) => void;
}

/** How far `predictFile` (and then `predictToFile`'s writing) is. */
export interface PredictProgress {
  /** `predict`: the model runs (each of a vote's in turn); `write`: the output is written. */
  phase: 'predict' | 'write';
  /** Sentences predicted (a vote of 2 models predicts each sentence twice), or documents written. */
  done: number;
  total: number;
  /** Of the work (predict: by tokens and sentences, as the batches go from the shortest sentences to the longest), for an ETA. */
  work: number;
  workTotal: number;
}

const DATA_OPTIONS: readonly (keyof DataOptions)[] = ['format', 'typesFile', 'split', 'ace05', 'bratLayout', 'tokenizer', 'symmetric', 'batchSize', 'paperCompat', 'minVotes', 'rawScores', 'goldEntities', 'onWarning', 'onProgress'];

/**
 * A library caller's options: a misspelt name would be ignored, a batch size of 0 or NaN fail inside
 * libtorch. The options to use: null (none given, as checkOptions takes it) is `{}`.
 */
function checkDataOptions(opts: DataOptions | null): DataOptions {
  checkOptions(opts, 'options', DATA_OPTIONS);
  const b = opts?.batchSize;
  if (b !== undefined && !(Number.isSafeInteger(b) && b > 0)) throw new UserError(`must be a positive whole number of sentences, got ${described(b)}`, { field: 'batchSize' });
  for (const key of ['paperCompat', 'rawScores', 'goldEntities'] as const)
    if (opts?.[key] !== undefined && typeof opts[key] !== 'boolean') throw new UserError(`must be true or false, got ${described(opts[key])}`, { field: key });
  if (opts?.onProgress !== undefined && typeof opts.onProgress !== 'function') throw new UserError(`must be a function, got ${described(opts.onProgress)}`, { field: 'onProgress' });
  return opts ?? {};
}

/** The models a library caller named: a directory or package name, or several; undefined: the bundled model. */
export type ModelDirs = ModelRef | readonly ModelRef[] | undefined;

/** A library caller's model argument as a list, checked (file: URLs as their paths): a TypeError from deep inside would not name it. */
function modelRefs(modelDirs: ModelDirs): readonly string[] {
  if (modelDirs === undefined) return [BUNDLED_MODEL_DIR];
  const refs: unknown[] = Array.isArray(modelDirs) ? modelDirs : [modelDirs];
  return refs.map((d, i) => {
    const field = Array.isArray(modelDirs) ? `modelDir[${i}]` : 'modelDir';
    const ref = d === null ? undefined : modelRefArg(d, field);
    if (ref === undefined) throw new UserError(`must be a model directory or an installed model package's name (or several; none: the bundled model), got ${described(d)}`, { field });
    return ref;
  });
}

/** Who cannot predict something, for a message: `the model in X does`, `the models in X, Y do`. */
function whoDoes(refs: readonly string[]): string {
  return refs.length === 1 ? `the model in ${refs[0]} does` : `the models in ${refs.join(', ')} do`;
}

/**
 * Predicted documents for `dataFile` (same ids, sentences and tokens as the file). Several model
 * directories: each predicts, and their majority vote (eval/vote.ts; `minVotes` to change it) is the
 * prediction, with the union of their labels. No model: the bundled one.
 */
export async function predictFile(
  modelDirs: ModelDirs,
  dataFile: string,
  opts: DataOptions = {},
): Promise<{ split: Split; schema: LabelSchema; predicted: Document[]; scores?: PredictionScores }> {
  opts = checkDataOptions(opts);
  const refs = modelRefs(modelDirs);
  // Model packages' names and directories as their model folders; a model directory as given.
  const dirs = refs.map((d) => modelPath(d));
  if (dirs.length === 0) throw new UserError('no model directory to predict with');
  if (opts.minVotes !== undefined && dirs.length < 2) throw new UserError('minVotes needs several model directories');
  // Checked before any model runs.
  if (dirs.length > 1) resolveMinVotes(opts.minVotes, dirs.length);
  if (opts.onWarning !== undefined && typeof opts.onWarning !== 'function') throw new UserError(`must be a function, got ${described(opts.onWarning)}`, { field: 'onWarning' });
  const onWarning = opts.onWarning ?? emitWarning;
  if (dirs.length > 1) warnOfCopies(refs, dirs, onWarning);
  // brat's raw text (the `text` layout) is cut as the (first) model cuts what it extracts from.
  const split = await loadSplit(dataFile, { ...opts, tokenizer: opts.tokenizer ?? readModelDir(dirs[0]).config.tokenizer }, onWarning);
  const warned = new Set<string>(); // a vote's models share most labels: each warning once
  // Every model predicts every sentence. The work a batch does, for the ETA: its tokens, and a mean
  // sentence's worth per sentence (each is a row of the batch, with its own entity pairs); the batches go
  // from the shortest sentences to the longest, so sentences alone or tokens alone misjudge the rest.
  // (Counted times the number of sentences, to stay whole numbers.)
  const sentences = split.sentences.length;
  const tokens = split.sentences.reduce((n, s) => n + s.tokens.length, 0);
  const [total, workTotal] = [dirs.length * sentences, dirs.length * 2 * tokens * sentences];
  let [done, work] = [0, 0];
  const onProgress = opts.onProgress;
  const onBatch = onProgress && ((n: number, t: number) => onProgress({ phase: 'predict', done: (done += n), total, work: (work += t * sentences + n * tokens), workTotal }));
  const each = [];
  for (const dir of dirs) {
    const { model, schema, meta } = loadModelDir(dir);
    // Calibrated scores where `entrel calibrate` fitted them (model/score-map.ts): the predictions are the
    // same. Checked before the model runs.
    const maps = opts.rawScores ? undefined : readScoreMaps(meta, join(dir, 'config.json'));
    // Models trained with GloVe (or their own word vectors) read unseen words through them (the extended
    // vocabulary, model/glove.ts).
    const glove: GloveTable | undefined = modelWordVectors(meta, model.config.wordDim, dir);
    model.glove = glove;
    const encoded = opts.goldEntities
      ? encodeAll(givenEntities(split.sentences, schema, model.vocab.tagScheme, dataFile, warned, onWarning), model.vocab, { given: true, glove })
      : encodeAll(split.sentences, model.vocab, { gold: false, glove });
    onBatch?.(0, 0); // the bar starts with the model's first batch
    const raw = await predictEncodedYielding(model, encoded, { batchSize: opts.batchSize, onBatch });
    const preds = maps ? mapScores(raw, maps, () => opts.goldEntities === true) : raw;
    // The model's probabilities, in the order predictedDocuments lists the items (one model only: a vote has none).
    const of = (items: (p: SentencePrediction) => { score: number }[]) => {
      let k = 0;
      return split.documents.map((d) => d.sentences.map(() => items(preds[k++]).map((x) => x.score)));
    };
    const scores = { entities: of((p) => p.entities), relations: of((p) => p.relations) };
    each.push({ schema, predicted: predictedDocuments(split.documents, preds), scores });
  }
  if (each.length === 1) return { split, ...each[0] };
  const schema = mergeSchemas(...each.map((x) => x.schema));
  const { documents } = vote(each.map((x) => x.predicted), { minVotes: opts.minVotes, schema, files: dirs });
  return { split, schema, predicted: documents };
}

/** The evaluation report (strict and boundaries, micro and macro, per type) of a model (none: the bundled one) on a file. */
export async function evaluateModel(modelDir: ModelDirs, dataFile: string, opts: DataOptions = {}): Promise<EvalReport> {
  return scoreModel(modelDir, dataFile, opts, evaluate);
}

/**
 * Runs a model on a file and hands gold, predictions and the scoring options to `score` (any of eval's
 * scorers), and the relations' scores when one model predicted (a vote has none).
 */
export async function scoreModel<T>(
  modelDir: ModelDirs,
  dataFile: string,
  opts: DataOptions,
  score: (gold: Document[], predicted: Document[], options: EvaluateOptions, scores?: PredictionScores) => T,
): Promise<T> {
  const { gold, predicted, options, scores } = await modelRun(modelDir, dataFile, opts);
  return score(gold, predicted, options, scores);
}

/**
 * The data's entities the model can be given (`goldEntities`): those of types it knows (scoring warns of
 * the others); of overlapping ones the longest, its tags holding one entity per token, the others warned
 * about (once), as scoring will count them missed.
 */
function givenEntities(sentences: readonly Sentence[], schema: LabelSchema, scheme: TagScheme, file: string, warned: Set<string>, onWarning: OnWarning): Sentence[] {
  const known = new Set(schema.entityTypes);
  let overlapping = 0;
  const out = sentences.map((s) => {
    const ok = s.entities.filter((e) => known.has(e.type));
    const { dropped } = encodeTags(s.tokens.length, ok, scheme, 'keep-longest');
    overlapping += dropped.length;
    return ok.length === s.entities.length ? s : { ...s, entities: ok };
  });
  const text = `${overlapping} of the data's entities cannot be given to the model (each overlaps another, kept in its place: the tags hold one entity per token): they count as missed, and so do their relations`;
  if (overlapping > 0 && !warned.has(text)) warnAbout(onWarning, file, text), warned.add(text);
  return out;
}

/** The file's documents, the model's predictions of them, and how to score them. */
async function modelRun(
  modelDir: ModelDirs,
  dataFile: string,
  opts: DataOptions,
): Promise<{ gold: Document[]; predicted: Document[]; options: EvaluateOptions; scores?: PredictionScores }> {
  opts = checkDataOptions(opts);
  const { split, schema, predicted, scores } = await predictFile(modelDir, dataFile, opts);
  const unknown = unknownTypes(schema, split.schema);
  if (unknown) warnAbout(opts.onWarning ?? emitWarning, dataFile, `${unknown} ${whoDoes(modelRefs(modelDir))} not know: they cannot be predicted, so every one in the data counts as a miss`);
  return { gold: split.documents, predicted, scores, options: { schema: mergeSchemas(schema, split.schema), paperCompat: opts.paperCompat, goldFile: dataFile } };
}

/** The data's types a model cannot predict, for a message (`entity types "A", "B" and relation type "R"`), if any. */
function unknownTypes(model: LabelSchema, data: LabelSchema): string | undefined {
  const known = new Set(model.relationTypes.map((r) => r.name));
  return typesPhrase(
    data.entityTypes.filter((t) => !model.entityTypes.includes(t)),
    data.relationTypes.map((r) => r.name).filter((t) => !known.has(t)),
  );
}

/**
 * Writes the model's (none: the bundled one's) predictions for `dataFile` to `outFile` in `format`
 * (default JSON Lines, src/data's jsonl format; any writable format, e.g. brat to correct them there).
 * What the format cannot hold goes to `diagnostics`.
 */
export async function predictToFile(modelDir: ModelDirs, dataFile: string, outFile: string, opts: DataOptions = {}, format = 'jsonl', diagnostics?: Diagnostics): Promise<void> {
  opts = checkDataOptions(opts);
  const { split, schema, predicted } = await predictFile(modelDir, dataFile, opts);
  // Given entities of types the model does not know are not given (givenEntities): the output lacks them.
  const unknown = opts.goldEntities ? split.sentences.flatMap((s) => s.entities).filter((e) => !schema.entityTypes.includes(e.type)) : [];
  if (unknown.length) {
    const types = [...new Set(unknown.map((e) => e.type))];
    const [its, them] = unknown.length === 1 ? ['its 1 entity', 'it and its'] : [`${types.length === 1 ? 'its' : 'their'} ${unknown.length} entities`, 'them and their'];
    warnAbout(opts.onWarning ?? emitWarning, dataFile, `${typesPhrase(types, [])} ${whoDoes(modelRefs(modelDir))} not know: ${its} in the data cannot be given to the model, so the predictions lack ${them} relations`);
  }
  const onProgress = opts.onProgress;
  const written = onProgress && ((n: number) => onProgress({ phase: 'write', done: n, total: predicted.length, work: n, workTotal: predicted.length }));
  await writeCorpus(predicted, schema, outFile, format, diagnostics, written);
}
