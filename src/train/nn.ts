/**
 * NN pretraining (the paper's local objective L̃ = L_ent + L_rel, reference spec §3.2): builds the
 * vocabulary from the training split, the JointModel (GloVe-initialised words), and the TrainTask the
 * shared loop runs. `buildNNSetup` is exported for MRT, which trains the same model with another loss.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSchemas, type Document, type LabelSchema } from '../data/corpus.js';
import { filesDigest } from '../data/files-digest.js';
import { NYT_DEV_IDS } from '../data/formats/nyt.js';
import { readTypesFile } from '../data/formats/types-file.js';
import { Scorer } from '../eval/index.js';
import { buildBatch } from '../model/encode.js';
import { createJointModel } from '../model/create.js';
import { loadGlove, type GloveTable } from '../model/glove.js';
import { loadWordVectors, modelWordVectors, ownWordVectors, recordedWordVectors, wordVectorsRecord, type WordVectorsRecord } from '../model/word-vectors.js';
import { loadModelDir, sha256, writeModelFiles, type LoadedModel } from '../model/io.js';
import { JointModel } from '../model/joint.js';
import type { LocalLossOptions } from '../model/joint-loss.js';
import { predictEncoded } from '../model/predict.js';
import type { EncodedSentence, ModelConfig, Rng } from '../model/types.js';
import { Vocabulary } from '../model/vocab.js';
import { counted, UserError } from '../errors.js';
import { cat, manualSeed, type Tensor } from '../tensor/index.js';
import { copyInto } from './checkpoint.js';
import { checkedConfig, modelConfig } from './config.js';
import type { TrainConfig, TrainConfigInput } from './config-schema.js';
import { encodeAll, loadSplit, readingOptions, typesPhrase, type Split } from './data.js';
import { corpusDigest, digest } from './fingerprint.js';
import { trainingLosses } from './losses.js';
import { checkRunStart, runTraining, type DevScores, type TrainOptions, type TrainResult, type TrainTask } from './loop.js';
import { predictedSentence } from './predictions.js';
import { shortModelName, trainedMeta } from './provenance.js';
import { TrainRng } from './rng.js';
import { emitWarning, warnAbout, warnCounted, type OnWarning } from './warnings.js';

export interface NNSetup {
  config: TrainConfig;
  schema: LabelSchema;
  vocab: Vocabulary;
  model: JointModel;
  /** The pretrained word vectors (GloVe, or the user's own: then `vectors` records their file). */
  glove?: GloveTable;
  vectors?: WordVectorsRecord;
  train: EncodedSentence[];
  dev: Split;
  devEncoded: EncodedSentence[];
  /**
   * Digests of what the run's path settings name, by config key (TrainTask.data): the training and dev data
   * as read (a resume refuses other data), the types file as read (its types and symmetric flags), the test
   * file's bytes (not read by training: only for a resume from a moved checkout), the --init model (its
   * checksum file) and the word vectors (their fingerprint).
   */
  data: { 'data.train': string; 'data.dev': string; 'data.types'?: string; 'data.test'?: string; init?: string; embeddings?: string };
}

/** What the setup says on the way: notes (none when quiet) on stderr, warnings to `onWarning`. */
type SetupOptions = Pick<TrainOptions, 'quiet' | 'onWarning'>;

/**
 * Data, vocabulary and a freshly initialised model (deterministic given the config's seed). With `base`
 * (a trained model to continue), the vocabulary is base's extended by the training data's new words and
 * characters, and the labels are base's: the data may not bring entity or relation types of its own.
 */
export async function buildNNSetup(config: TrainConfig, base?: { loaded: LoadedModel; dir: string }, opts: SetupOptions = {}): Promise<NNSetup> {
  const onWarning = opts.onWarning ?? emitWarning;
  // Checked here, not in the config schema: MRT's --init replaces config.model with its directory's.
  if (config.lmWeight !== undefined && config.model.lmHidden === 0)
    throw new UserError('is read only with model.lmHidden > 0 (the language-model heads it weighs): set model.lmHidden as well, or drop lmWeight', { field: 'lmWeight' });
  if (config.embeddings !== undefined && !config.glove)
    throw new UserError('is read only with glove true (glove false trains without pretrained word vectors): drop one of them', { field: 'embeddings' });
  const trainSplit = await loadSplit(config.data.train, readingOptions(config), onWarning);
  // A sentence without tokens (jsonl allows one) has nothing to learn from, and the model takes none.
  const trainSentences = trainSplit.sentences.filter((x) => x.tokens.length > 0);
  if (!trainSentences.length) throw new UserError('has no sentence with tokens: there is nothing to train on', { file: trainSplit.file });
  const dev = await loadSplit(config.data.dev, readingOptions(config, 'dev'), onWarning);
  refuseUnscorableDev(dev, config.select);
  warnWholeNytTest(dev, config, onWarning);
  warnDevIsTrain(dev, trainSplit, config, onWarning);
  if (base) for (const part of [...trainSplit.parts, ...dev.parts]) refuseNewLabels(part, base.loaded.schema, base.dir);
  if (base) refuseRelationless(trainSplit, base.loaded.schema, base.dir);
  const schema = base ? base.loaded.schema : mergeSchemas(trainSplit.schema, dev.schema);
  warnUnlearnable(trainSplit, schema, onWarning, base !== undefined);
  warnCounted(onWarning, trainSplit.file, trainingLosses(trainSplit.documents, config.model.tagScheme, { overlap: config.overlappingEntities, maxLength: config.maxTrainLength, schema }));
  const vocab = base ? base.loaded.model.vocab.extendedWith(trainSplit.sentences) : Vocabulary.build(trainSplit.sentences, schema, config.model.tagScheme);
  const { table: glove, record: vectors, named } = runWordVectors(config, base);
  // A continued model keeps its own vectors (its extended vocabulary reads through them): the config says
  // so, by the path the model recorded (where ENTREL_EMBEDDINGS found them may change between resumes).
  if (base) config = { ...config, glove: glove !== undefined, embeddings: named };
  manualSeed(config.seed);
  const { model, found } = createJointModel(modelConfig(config), vocab, { wordRng: TrainRng.seeded(config.seed + 0x5eed), glove, freezeWords: config.freezeWords });
  if (glove && !base) sayCoverage(found, vocab.words.size - 2, vectors?.file, opts.quiet === true, onWarning);
  const setup: NNSetup = {
    config, schema, vocab, model, glove, vectors, dev,
    train: encodeAll(trainSentences, vocab, { maxLength: config.maxTrainLength, overlap: config.overlappingEntities }),
    devEncoded: encodeAll(dev.sentences, vocab, { gold: false, glove }),
    data: {
      // First: the types file is part of how the data reads, so a changed one changes data.train's digest
      // too, and a resume is to name the types file (the first digest that differs), not the data.
      ...(config.data.types !== undefined && { 'data.types': digest(await readTypesFile(config.data.types)) }),
      'data.train': corpusDigest(trainSplit.documents, trainSplit.schema),
      'data.dev': corpusDigest(dev.documents, dev.schema),
      ...testDigest(config.data.test),
      ...(base && { init: sha256(join(base.dir, 'checksum')) }), // the model loadModelDir has just verified
      ...(config.embeddings !== undefined && vectors && { embeddings: vectors.fingerprint }),
    },
  };
  if (base) copyModelInto(setup, base.loaded, base.dir);
  return setup;
}

/**
 * The test data's digest (filesDigest), when there is test data and it can be read: training does not read
 * it, so an unreadable one is not refused here; without a digest a resume only refuses its path changed.
 */
function testDigest(test: string | undefined): { 'data.test'?: string } {
  if (test === undefined) return {};
  try {
    return { 'data.test': filesDigest(test) };
  } catch {
    return {};
  }
}

/**
 * How many training words the pretrained vectors cover, a note on stderr: a low share, a warning, says
 * the vectors do not fit the corpus (another language, casing, tokenization), which the model's scores
 * would show only later.
 */
function sayCoverage(found: number, words: number, file: string | undefined, quiet: boolean, onWarning: OnWarning): void {
  const share = words ? found / words : 1;
  const name = file ?? 'GloVe';
  if (!quiet) process.stderr.write(`entrel: ${name}: ${found} of the ${words} training words have a vector (${(100 * share).toFixed(1)} %)\n`);
  if (share < 0.5)
    warnAbout(onWarning, name, "fewer than half the training words have a vector; are they of the corpus's language, and its tokenization?");
}

/**
 * CoType's NYT test file read whole as dev chooses the model on the 356 sentences the paper tests on; the
 * paper chooses on its seeded 10 % (data.devSplit "dev") and tests on the rest (data.testSplit "test").
 */
function warnWholeNytTest(dev: Split, config: TrainConfig, onWarning: OnWarning): void {
  if (dev.format !== 'nyt' || config.data.devSplit !== undefined) return;
  const ids = new Set(dev.documents.map((d) => d.id));
  if ([...NYT_DEV_IDS].every((id) => ids.has(id)))
    warnAbout(onWarning, dev.file, 'is CoType\'s NYT test file, read whole as dev: models are chosen on the sentences the paper tests on; set data.devSplit "dev" (the paper\'s seeded 10 %) and data.testSplit "test"');
}

/**
 * Dev data that is training data (the same file, or documents of the same id and text) chooses best/ and
 * stops training on what the model learns from: selection favours overfitting, and the dev scores a model
 * records are training scores. Warned, not refused: a config may mean it (configs/default-model.json).
 */
function warnDevIsTrain(dev: Split, train: Split, config: TrainConfig, onWarning: OnWarning): void {
  const real = (f: string) => (existsSync(f) ? realpathSync(f) : f);
  const trainFiles = new Set([config.data.train].flat().map(real));
  const advice = 'best/ is chosen, and patience stops, on sentences the model trains on, and its dev scores are training scores; give dev data of other documents (entrel split)';
  if (trainFiles.has(real(config.data.dev))) return warnAbout(onWarning, dev.file, `is also training data (data.train): ${advice}`);
  const trained = new Set(train.documents.map((d) => JSON.stringify([d.id, d.text])));
  const shared = dev.documents.filter((d) => trained.has(JSON.stringify([d.id, d.text]))).length;
  if (shared > 0)
    warnAbout(onWarning, dev.file, `${shared} of its ${counted(dev.documents.length, 'document')} are also in the training data (the same id and text): ${advice}`);
}

/**
 * The dev file chooses best/ and stops training (patience). Where it cannot score (no documents, no gold
 * entities, or no gold relations when `select` is "relation": an unannotated file, or one read with the
 * wrong format or layout) every epoch scores 0, and best/ would silently hold the first epoch's model
 * however long the run: refused, rather than warned, since such a run's model is never what was asked for.
 */
function refuseUnscorableDev(dev: Split, select: TrainConfig['select']): void {
  const lack = unscorableDev(dev.documents, select);
  if (!lack) return;
  const advice = lack.what === 'entities'
    ? 'give annotated dev data (entrel split FILE --out DIR carves it out of yours), read in its format (data.format)'
    : 'give dev data with relations, or set select=entity+relation';
  throw new UserError(`${lack.message}: ${UNSCORABLE_DEV}; ${advice}`, { file: dev.file });
}

/** Why dev data that cannot score cannot choose the model, for the callers' refusals (refuseUnscorableDev, crossval). */
export const UNSCORABLE_DEV = 'the dev data chooses the model kept in best/, and with nothing to score every epoch scores 0';

/**
 * What dev `documents` lack to choose a model by `select` (refuseUnscorableDev), with their counts:
 * annotated entities, or annotated relations when selecting on relation F1; undefined when they can.
 */
export function unscorableDev(documents: readonly Document[], select: TrainConfig['select']): { what: 'entities' | 'relations'; message: string } | undefined {
  const sentences = documents.flatMap((d) => d.sentences);
  const entities = sentences.reduce((n, s) => n + s.entities.length, 0);
  const relations = sentences.reduce((n, s) => n + s.relations.length, 0);
  const held = `${counted(documents.length, 'document')}, ${counted(sentences.length, 'sentence')}`;
  if (entities === 0) return { what: 'entities', message: `has no annotated entities (${held})` };
  if (relations === 0 && select === 'relation') return { what: 'relations', message: `has no annotated relations (${held}, ${entities} entities), and select is "relation"` };
  return undefined;
}

/**
 * The pretrained word vectors of a run: a continued model's own (as its meta records them), else the
 * config's file, GloVe, or none.
 */
function runWordVectors(config: TrainConfig, base?: { loaded: LoadedModel; dir: string }): { table?: GloveTable; record?: WordVectorsRecord; named?: string } {
  const wordDim = config.model.wordDim;
  if (base && base.loaded.meta.glove !== undefined) {
    const own = base.loaded.meta.glove ? recordedWordVectors(base.loaded.meta, base.dir) : undefined;
    if (!own) return { table: modelWordVectors(base.loaded.meta, wordDim, base.dir) };
    // The same vectors (checked), recorded where they are now.
    const { file, table } = ownWordVectors(own, base.dir);
    return { table, record: { ...own, file: realpathSync(file) }, named: own.file };
  }
  // A model that does not say (one saved by the library) is continued with the config's vectors.
  if (!config.glove) return {};
  const table = config.embeddings === undefined ? loadGlove() : loadWordVectors(config.embeddings);
  if (table.dim !== wordDim) {
    const fix = base ? `the model in ${base.dir} has ${wordDim}: set glove=false, or embeddings to vectors of ${wordDim}` : `model.wordDim is ${wordDim}: set model.wordDim=${table.dim}`;
    throw new UserError(`the word vectors have ${table.dim} dimensions but ${fix}`, { file: config.embeddings ?? 'GloVe' });
  }
  return { table, record: config.embeddings === undefined ? undefined : wordVectorsRecord(config.embeddings, table), named: config.embeddings };
}

/**
 * Warns of what the model cannot learn from its training data: no entities or no relations at all, or
 * types of its label schema (dev's included; a continued model's own) that no training sentence has. A
 * continued model (`continued`) is taught to find none of those: what it could, it unlearns.
 */
function warnUnlearnable(train: Split, schema: LabelSchema, onWarning: OnWarning, continued: boolean): void {
  const ents = new Set(train.sentences.flatMap((s) => s.entities.map((e) => e.type)));
  const rels = new Set(train.sentences.flatMap((s) => s.relations.map((r) => r.type)));
  const warn = (msg: string) => warnAbout(onWarning, train.file, msg);
  const learn = continued ? 'continuing will teach the model' : 'the model will learn';
  if (ents.size === 0) warn(`the training data has no entities: ${learn} to find none`);
  // A continued model with relation types was refused (refuseRelationless); one without has none to lose.
  else if (rels.size === 0 && !continued) warn('the training data has no relations: the model will learn to find none');
  const entsMissing = ents.size ? schema.entityTypes.filter((t) => !ents.has(t)) : [];
  const relsMissing = rels.size ? schema.relationTypes.map((r) => r.name).filter((t) => !rels.has(t)) : [];
  const missing = typesPhrase(entsMissing, relsMissing);
  const one = entsMissing.length + relsMissing.length === 1;
  if (missing && continued)
    warn(`the model's ${missing} ha${one ? 's' : 've'} no training instance: continuing will teach the model to find none`);
  else if (missing)
    warn(`${missing} never occur${one ? 's' : ''} in the training data (only in dev or a types file): the model cannot learn to predict ${one ? 'it' : 'them'}`);
}

/**
 * Continuing a model that has relation types on data without relations trains its relation classifier to
 * answer "no relation" for every pair: one epoch erases its relation extraction. Refused, not warned:
 * such a run can only write a model whose relation types are dead yet listed (info, /v1/model), and a
 * model for entities alone trains without --init. Keeping the relations while tuning the entities would
 * need the relation loss left out, which training does not offer.
 */
function refuseRelationless(train: Split, schema: LabelSchema, dir: string): void {
  if (!schema.relationTypes.length || train.sentences.some((s) => s.relations.length > 0)) return;
  const names = schema.relationTypes.map((r) => r.name).join(', ');
  throw new UserError(
    `has no relations, but the model in ${dir} has relation types (${names}): continuing it on this data would teach it to find none (its relation extraction is gone after one epoch). Give training data with relations, or train a new model for entities alone without --init (with select=entity+relation)`,
    { file: train.file },
  );
}

/** A model's labels are fixed by its output layers: data to continue it on may use only those. */

function refuseNewLabels(part: Split['parts'][number], schema: LabelSchema, dir: string): void {
  const entities = part.schema.entityTypes.filter((t) => !schema.entityTypes.includes(t));
  const relations = part.schema.relationTypes.filter((r) => !schema.relationTypes.some((m) => m.name === r.name));
  if (!entities.length && !relations.length) return;
  const named = [...entities.map((t) => `entity type "${t}"`), ...relations.map((r) => `relation type "${r.name}"`)];
  throw new UserError(
    `has ${named.join(', ')}, which the model in ${dir} was not trained with (it knows entity types ${schema.entityTypes.join(', ')}; relation types ${schema.relationTypes.map((r) => r.name).join(', ')}). Continuing a model keeps its labels: train a new model without --init to add labels`,
    { file: part.file },
  );
}

/**
 * A setup that continues the model in `dir` (MRT's --init, and --init --local): its model settings
 * (architecture, decoder) replace the config's — the weights only fit them — and its weights are copied
 * in; the directory is read once. Settings the config states differently are named on stderr. The
 * training data may differ from the model's (fine-tuning on new data): its new words and characters get
 * rows of their own, initialised as a fresh model's are (GloVe, else random).
 */
export async function buildSetupFrom(config: TrainConfig, dir: string, opts: SetupOptions = {}): Promise<NNSetup> {
  const loaded = loadModelDir(dir);
  const model = loaded.model.config;
  const differing = (Object.keys(model) as (keyof ModelConfig)[]).filter((k) => JSON.stringify(model[k]) !== JSON.stringify(config.model[k]));
  if (differing.length && !opts.quiet)
    process.stderr.write(`entrel: using the model settings of ${dir}: ${differing.map((k) => `model.${k}=${JSON.stringify(model[k])}`).join(', ')} (not the config's ${differing.map((k) => JSON.stringify(config.model[k])).join(', ')}, its own or the defaults: a continued model keeps its settings)\n`);
  const setup = await buildNNSetup({ ...config, model: { ...model } }, { loaded, dir }, opts);
  const vectorsOf = (c: TrainConfig) => (c.glove ? (c.embeddings === undefined ? 'GloVe' : existsSync(c.embeddings) ? realpathSync(c.embeddings) : c.embeddings) : 'none');
  if (vectorsOf(setup.config) !== vectorsOf(config) && !opts.quiet)
    process.stderr.write(`entrel: using the word vectors of ${dir}: ${vectorsOf(setup.config)} (the config says ${vectorsOf(config)})\n`);
  const [words, chars] = [setup.vocab.words.size - loaded.model.vocab.words.size, setup.vocab.chars.size - loaded.model.vocab.chars.size];
  if ((words || chars) && !opts.quiet)
    process.stderr.write(`entrel: the training data has ${words} words and ${chars} characters the model in ${dir} has not seen: they get new rows (${setup.glove ? `${setup.vectors ? 'its word vectors' : 'GloVe'} where they have them, else random` : 'random'})\n`);
  return setup;
}

/**
 * Copies a trained model's weights into the setup's model, whose vocabulary is the model's extended
 * (buildNNSetup with a base). Word- and character-indexed parameters may have grown: their first rows
 * are the model's, the rest keep their fresh init.
 */
function copyModelInto(setup: NNSetup, loaded: LoadedModel, dir: string): void {
  // Holds by construction (Vocabulary.extendedWith): a failure is a bug, not the user's data.
  if (!setup.vocab.extends(loaded.model.vocab)) throw new Error(`copyModelInto: the setup's vocabulary does not extend the model's in ${dir}`);
  const grown = setup.model.vocabularyRows();
  const trained = new Map(loaded.model.parameters());
  const weights: Record<string, Tensor> = {};
  for (const [name, p] of setup.model.parameters()) {
    const t = trained.get(name);
    if (!t) continue; // copyInto names it
    const extra = p.shape[0] - t.shape[0];
    // The trained rows, then the new ones' fresh init (same dtype: p.detach() is outside autograd).
    weights[name] = grown.has(p) && extra > 0 ? cat([t, p.detach().narrow(0, t.shape[0], extra)], 0) : t;
  }
  copyInto(setup.model.parameters(), weights, dir);
}

/** Dev micro F1 (entities, strict relations) of the model's eval-mode predictions. */
export function devScores(setup: NNSetup, batchSize: number): DevScores {
  const preds = predictEncoded(setup.model, setup.devEncoded, { batchSize });
  const scorer = new Scorer(setup.schema);
  setup.dev.sentences.forEach((g, i) => scorer.add(g, predictedSentence(g, preds[i], '')));
  const r = scorer.report();
  return { entF1: r.entities.micro.f1, relF1: r.relations.strict.micro.f1 };
}

/** L̃'s options for one batch, as the config sets them (NN training, and MRT's L̃ part). */
export function localLossOptions(config: TrainConfig, ctx: { epoch: number; rng: Rng }): LocalLossOptions {
  const { scheduleK, entityWeight, lossNormalization: normalization, lmWeight, addGoldPairs } = config;
  return { epoch: ctx.epoch, rng: ctx.rng, scheduleK, entityWeight, normalization, lmWeight, addGoldPairs };
}

/**
 * The TrainTask of the local objective; `saveModel` writes a complete model directory, whose meta says
 * it was trained with `how`.
 */
export function nnTask(setup: NNSetup, how = setup.config.init ? `the local loss, continued from ${shortModelName(setup.config.init)}` : 'the local loss'): TrainTask {
  const { config, model } = setup;
  return {
    params: model.parameters(),
    size: setup.train.length,
    setTraining: (on) => void model.train(on),
    batchLoss(indices, ctx) {
      const batch = buildBatch(indices.map((i) => setup.train[i]), setup.vocab.words.size);
      const l = model.localLoss(batch, localLossOptions(config, ctx));
      return { loss: l.loss, parts: { ent: l.entLoss, rel: l.relLoss, ...(l.lmLoss && { lm: l.lmLoss }) }, pairs: l.pairs };
    },
    evaluateDev: () => devScores(setup, 100),
    data: setup.data,
    saveModel: (dir, chosen) => writeModelFiles(dir, model, setup.schema, { ...trainedMeta(config, setup.train.length, how, chosen), ...(setup.vectors && { embeddings: setup.vectors }) }),
  };
}

/**
 * `entrel train --init DIR --local`: the model in `config.init` trained on with L̃ alone, e.g. a trained
 * model fine-tuned on the user's own annotated data without MRT (buildSetupFrom: its settings, its
 * vocabulary extended, its labels), with a fresh optimiser state.
 */
export async function continueNN(input: TrainConfig | TrainConfigInput, outDir: string, opts: TrainOptions = {}): Promise<TrainResult> {
  const config = checkedConfig(input);
  if (!config.init) throw new UserError('continuing a model needs --init DIR (a model directory from `entrel train`)');
  checkRunStart(config, outDir, opts);
  const setup = await buildSetupFrom(config, config.init, opts);
  return runTraining(nnTask(setup), setup.config, outDir, 'nn', opts);
}

/**
 * `entrel train`: NN pretraining into `outDir` (best/, last/, train.log.jsonl, curve.svg). `config` is
 * what loadConfig or parseConfig returned, or an object as a config file holds it (TrainConfigInput:
 * `data.train` and `data.dev`, the rest defaults), validated by parseConfig.
 */
export async function trainNN(input: TrainConfig | TrainConfigInput, outDir: string, opts: TrainOptions = {}): Promise<TrainResult> {
  const config = checkedConfig(input);
  checkRunStart(config, outDir, opts);
  const setup = await buildNNSetup(config, undefined, opts);
  return runTraining(nnTask(setup), config, outDir, 'nn', opts);
}
