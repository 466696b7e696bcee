/**
 * `entrel crossval`: k-fold cross-validation by whole documents, for a corpus too small to hold out one
 * test set that says much. Fold f is tested on, fold f + 1 chooses the model (dev, as `entrel train` needs
 * one), the others train it; each fold's score is the evaluator's micro F1 on its test fold, and the study
 * reports their mean and standard deviation. A fold's parts, run and result are kept under
 * `OUT/fold-f/`, so a stopped study goes on where it stopped when run again with the same settings.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../data/atomic.js';
import { Diagnostics } from '../data/diagnostics.js';
import type { Document, LabelSchema } from '../data/corpus.js';
import { detectFormat, loadCorpus, writeCorpus, type CorpusOptions } from '../data/formats/index.js';
import { ACE05_FORMATS } from '../data/formats/ace05.js';
import { makeDirs } from '../data/dirs.js';
import { foldPositions } from '../data/split.js';
import { counted, Interrupted, quote, UserError } from '../errors.js';
import { hasCheckpoint } from './checkpoint.js';
import { checkDataFiles, keysFromSet, loadConfig, refuseMrtSettings } from './config.js';
import type { TrainConfig } from './config-schema.js';
import { CrossValLog } from './crossval-log.js';
import { evaluateModel, type PredictProgress } from './evaluate.js';
import { digest } from './fingerprint.js';
import type { EpochRecord } from './log.js';
import { trainNN, unscorableDev, UNSCORABLE_DEV } from './nn.js';
import { phaseBars, type PhaseBars } from './progress.js';
import { lockRun } from './run-lock.js';
import { checkThreads } from './loop.js';
import { emitWarning, type OnWarning } from './warnings.js';

interface CrossValOptions {
  /** Number of folds (at least 3: test, dev and train each need one; default 5). */
  folds?: number;
  /** Seed of the documents' order (default 1). */
  seed?: number;
  /** `--set key=value` overrides of the training config (not its data, which the folds are). */
  sets?: string[];
  /** How the corpus file is read. */
  corpus?: Omit<CorpusOptions, 'diagnostics'>;
  /** Where the corpus reader's warnings go (documents or annotations it could not take), for the caller to show. */
  diagnostics?: Diagnostics;
  quiet?: boolean;
  /** Receives what training and scoring a fold warn of. Default: `process.emitWarning`. */
  onWarning?: OnWarning;
  stopRequested?: () => string | undefined;
  /** Told when a fold starts (the CLI's progress line), with the seconds the study has left by the folds this run trained (none yet: undefined). */
  onFold?: (fold: number, of: number, etaSeconds?: number) => void;
}

interface FoldScores {
  entityF1: number;
  relationStrictF1: number;
  relationBoundariesF1: number;
}

interface FoldResult extends FoldScores {
  fold: number;
  documents: { train: number; dev: number; test: number };
  bestEpoch: number;
  epochs: number;
}

interface CrossValResult {
  folds: FoldResult[];
  mean: FoldScores;
  /** Sample standard deviation over the folds. */
  std: FoldScores;
  seed: number;
}

const SCORES = ['entityF1', 'relationStrictF1', 'relationBoundariesF1'] as const;

/**
 * What a study directory was started with: running it again with other data, corpus options, recipe,
 * folds or seed would mix two studies. The corpus and the effective training config (the config file with
 * its `--set`s, whatever their order) are compared by digest.
 */
interface Plan {
  data: string;
  dataDigest: string;
  corpusOptions: Record<string, unknown>;
  config: string;
  recipeDigest: string;
  folds: number;
  seed: number;
  /** For the message only: the `--set`s as given. */
  sets: string[];
}

const PLAN_KEYS: (keyof Plan)[] = ['dataDigest', 'corpusOptions', 'recipeDigest', 'folds', 'seed'];

export async function crossValidate(configFile: string, dataFile: string, outDir: string, opts: CrossValOptions = {}): Promise<CrossValResult> {
  const k = opts.folds ?? 5;
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(k) || k < 3) throw new UserError(`must be a whole number of at least 3 (a test, a dev and a training fold), got ${k}`, { field: 'folds' });
  const sets = opts.sets ?? [];
  const dataKey = sets.find((s) => /^data\.(train|dev|test)\s*=/.test(s));
  if (dataKey) throw new UserError(`${dataKey.split('=')[0].trim()} is what the folds are: cross-validation sets the training, dev and test data itself`, { field: '--set' });
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UserError("is a file: --out is the study's directory", { file: outDir });
  if (!existsSync(dataFile)) throw new UserError('no such file or directory', { file: dataFile });
  // Checked before the corpus is read: the config, its --sets and the files it names (word vectors). The
  // folds are its data, so a config's own data files are neither needed nor read.
  const loaded = loadConfig(configFile, [...sets, `data.train=${JSON.stringify(dataFile)}`, `data.dev=${JSON.stringify(dataFile)}`, 'data.format="jsonl"']);
  refuseMrtSettings(configFile, sets, 'reads it, and cross-validation trains each fold with the local loss');
  // The data is --data, in the format the corpus is read in (not the folds' jsonl): checked above.
  checkDataFiles({ ...loaded, data: { ...loaded.data, format: undefined, test: undefined } }, configFile, keysFromSet(sets));
  checkThreads(loaded.threads, opts.onWarning ?? emitWarning); // once for all folds
  // The folds are JSONL, cut already: no brat layout applies to them.
  const foldConfig = (train: string, dev: string) => ({ ...loaded, data: { ...loaded.data, train: resolve(train), dev: resolve(dev), test: undefined, types: undefined, bratLayout: undefined, ace05: undefined } });
  const recipe = { ...loaded, data: { ...loaded.data, train: '', dev: '', test: undefined } }; // whatever the folds' files
  if (recipe.init !== undefined)
    throw new UserError('cross-validation trains each fold from scratch: remove "init" (a model trained on the whole corpus has seen every test fold)', { file: configFile, field: 'init' });
  // brat's raw text is cut as the recipe's model will cut what it extracts from (its config's digest holds both).
  // The command's reading options first, then the recipe's (its brat layout where the corpus is brat).
  const format = opts.corpus?.format ?? (await detectFormat(dataFile));
  const brat = format === 'brat';
  const reading = {
    ...opts.corpus,
    typesFile: opts.corpus?.typesFile ?? loaded.data.types,
    bratLayout: opts.corpus?.bratLayout ?? (brat ? loaded.data.bratLayout : undefined),
    ace05: opts.corpus?.ace05 ?? (ACE05_FORMATS.has(format) ? loaded.data.ace05 : undefined),
    tokenizer: opts.corpus?.tokenizer ?? loaded.model.tokenizer,
  };
  const corpus = await loadCorpus(dataFile, { ...reading, diagnostics: opts.diagnostics ?? new Diagnostics() });
  const n = corpus.documents.length;
  if (n < 3) throw new UserError(`holds ${counted(n, 'document')}: cross-validation needs at least 3 (a test, a dev and a training fold of whole documents)`, { file: dataFile });
  if (n < k) throw new UserError(`holds ${n} documents, too few for ${k} folds (the folds are whole documents; give fewer --folds)`, { file: dataFile });
  const folds = foldPositions(n, k, seed);
  refuseUnscorableFolds(folds, corpus.documents, loaded.select, dataFile);
  const typesFile = opts.corpus?.typesFile;
  checkPlan(outDir, {
    data: resolve(dataFile),
    dataDigest: digest({ documents: corpus.documents, schema: corpus.schema }),
    // As read, not as typed: a detected format and the same one named are one study.
    corpusOptions: { ...opts.corpus, format: corpus.format, ...(typesFile !== undefined && { typesFile: resolve(typesFile) }) },
    config: resolve(configFile),
    recipeDigest: digest({ ...recipe, threads: undefined }), // threads change no result
    folds: k,
    seed,
    sets,
  });
  // One crossval per study: a second one would remove the fold directory the first trains in.
  makeDirs(outDir);
  const release = lockRun(outDir);
  try {
    return await runFolds(outDir, k, seed, folds, corpus, foldConfig, opts);
  } finally {
    release();
  }
}

/** The folds of a locked study, each resumed or skipped where an earlier run of it stopped. */
async function runFolds(
  outDir: string,
  k: number,
  seed: number,
  folds: number[][],
  corpus: { documents: Document[]; schema: LabelSchema },
  foldConfig: (train: string, dev: string) => TrainConfig,
  opts: CrossValOptions,
): Promise<CrossValResult> {
  const resultFile = (f: number) => join(outDir, `fold-${f}`, 'result.json');
  const keptFolds = Array.from({ length: k }, (_, i) => i + 1).filter((f) => existsSync(resultFile(f)));
  const log = new CrossValLog(join(outDir, 'crossval.log.jsonl'));
  log.start(k, seed, keptFolds);
  const bars = phaseBars(opts.quiet);
  try {
    // Inside the log's start and end: a damaged kept result ends this run's lines with "failed".
    rmSync(join(outDir, 'crossval.json'), { force: true }); // written again when every fold is done
    const kept = new Map(keptFolds.map((f) => [f, readFoldResult(resultFile(f), f)]));
    const results = await trainFolds(outDir, k, folds, corpus, foldConfig, opts, kept, log, bars);
    const summary = { mean: stat(results, mean), std: stat(results, std) };
    const out: CrossValResult = { folds: results, ...summary, seed };
    writeFileAtomic(join(outDir, 'crossval.json'), JSON.stringify(out, null, 2) + '\n');
    log.end('done', summary);
    return out;
  } catch (e) {
    try {
      if (e instanceof Interrupted) log.end('interrupted');
      else log.end('failed', { error: e instanceof Error ? e.message : String(e) });
    } catch {
      // The log cannot be written either: the error that stopped the study is the one to tell.
    }
    throw e;
  } finally {
    bars.stop();
  }
}

/** The folds' results: those not `kept` from an earlier run trained and scored, each logged. */
async function trainFolds(
  outDir: string,
  k: number,
  folds: number[][],
  corpus: { documents: Document[]; schema: LabelSchema },
  foldConfig: (train: string, dev: string) => TrainConfig,
  opts: CrossValOptions,
  kept: ReadonlyMap<number, FoldResult>,
  log: CrossValLog,
  bars: PhaseBars,
): Promise<FoldResult[]> {
  const results: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const dir = join(outDir, `fold-${f + 1}`);
    const resultFile = join(dir, 'result.json');
    const done = kept.get(f + 1);
    if (done) {
      results.push(done);
      continue;
    }
    // A signal while the corpus was read or the last fold scored: stop here, before this fold's work.
    const signal = opts.stopRequested?.();
    if (signal !== undefined)
      throw new Interrupted(`interrupted (${signal}) before fold ${f + 1} of ${k}; ${f ? `folds 1–${f} are kept; ` : ''}run the same crossval command to go on where it stopped`, { file: outDir });
    const t0 = performance.now();
    const left = k - f - [...kept.keys()].filter((kf) => kf > f + 1).length;
    opts.onFold?.(f + 1, k, log.fold(f + 1, k, left));
    const dev = (f + 1) % k;
    const parts = { test: folds[f], dev: folds[dev], train: folds.filter((_, i) => i !== f && i !== dev).flat().sort((a, b) => a - b) };
    const files = { train: join(dir, 'train.jsonl'), dev: join(dir, 'dev.jsonl'), test: join(dir, 'test.jsonl') };
    makeDirs(dir);
    for (const p of ['train', 'dev', 'test'] as const)
      if (!existsSync(files[p])) await writeCorpus(parts[p].map((i) => corpus.documents[i]), corpus.schema, files[p], 'jsonl', new Diagnostics());
    const config = foldConfig(files.train, files.dev); // the test fold is scored below
    const runDir = join(dir, 'run');
    // A run stopped before its first checkpoint (a best/ already written, say) has nothing to resume: it starts again.
    const resume = hasCheckpoint(join(runDir, 'last'));
    if (!resume) rmSync(runDir, { recursive: true, force: true });
    let run;
    const trainedNow: EpochRecord[] = []; // for the study's ETA: a resumed fold trains only its last epochs
    try {
      run = await trainNN(config, runDir, { resume, quiet: opts.quiet, onWarning: opts.onWarning, stopRequested: opts.stopRequested, onEpoch: (r) => trainedNow.push(r) });
    } catch (e) {
      if (e instanceof Interrupted)
        throw new Interrupted(`fold ${f + 1} of ${k}: ${e.message.replace(/: run the same command with --resume to continue$/, '')}; run the same crossval command to go on where it stopped`);
      // A study moved since the fold's checkpoint: its parts' paths changed, nothing else.
      if (e instanceof UserError && /cannot resume with a different "data\.(train|dev)"/.test(e.message))
        throw new UserError(`fold ${f + 1}'s checkpoint was written where the study was before (its parts' paths differ): delete ${runDir} to train that fold again`, { file: runDir });
      throw e;
    }
    const score = `score fold ${f + 1}`;
    const onProgress = (p: PredictProgress) => p.phase === 'predict' && bars.show({ label: score, unit: 'sentences', total: p.total, work: p.workTotal }, p.done, p.work);
    const report = await evaluateModel(run.bestDir, files.test, { format: 'jsonl', onWarning: opts.onWarning, onProgress });
    bars.stop();
    const result: FoldResult = {
      fold: f + 1,
      documents: { train: parts.train.length, dev: parts.dev.length, test: parts.test.length },
      entityF1: report.entities.micro.f1,
      relationStrictF1: report.relations.strict.micro.f1,
      relationBoundariesF1: report.relations.boundaries.micro.f1,
      bestEpoch: run.bestEpoch,
      epochs: run.epochs,
    };
    writeFileAtomic(resultFile, JSON.stringify(result, null, 2) + '\n');
    const epochSeconds = trainedNow.reduce((sum, r) => sum + r.seconds + r.evalSeconds, 0);
    log.result(result, { seconds: (performance.now() - t0) / 1000, epochs: run.epochs, resumedAfter: run.epochs - trainedNow.length, epochSeconds });
    results.push(result);
  }
  return results;
}

/** `f` (mean, std) of each score over the folds. */
function stat(results: FoldResult[], f: (xs: number[]) => number): FoldScores {
  const of = (s: keyof FoldScores) => f(results.map((r) => r[s]));
  return { entityF1: of('entityF1'), relationStrictF1: of('relationStrictF1'), relationBoundariesF1: of('relationBoundariesF1') };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sample standard deviation. */
function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Each fold's dev part (the next fold) must be able to choose its model (nn.ts unscorableDev): refused
 * before any fold trains, with advice for folds crossval cut itself (not `entrel split` or data.format).
 */
function refuseUnscorableFolds(folds: number[][], documents: readonly Document[], select: TrainConfig['select'], dataFile: string): void {
  folds.forEach((_, f) => {
    const dev = (f + 1) % folds.length;
    const lack = unscorableDev(folds[dev].map((i) => documents[i]), select);
    if (!lack) return;
    const advice = `annotate more of the corpus, or deal it otherwise (--folds, --seed)${lack.what === 'relations' ? ', or select on entities too (--set select=entity+relation)' : ''}`;
    throw new UserError(`fold ${dev + 1}, the dev part of fold ${f + 1}, ${lack.message}: ${UNSCORABLE_DEV}; ${advice}`, { file: dataFile });
  });
}

/** A fold's kept result, checked: a damaged one is named, to be removed (the fold then runs again). */
function readFoldResult(file: string, fold: number): FoldResult {
  let r: Partial<FoldResult> | null;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Partial<FoldResult> | null;
  } catch (e) {
    throw new UserError(`cannot read fold ${fold}'s result (${(e as Error).message}): delete it to run the fold again`, { file });
  }
  const ok =
    r !== null && typeof r === 'object' && r.fold === fold && SCORES.every((s) => typeof r![s] === 'number' && r![s]! >= 0 && r![s]! <= 1) &&
    typeof r.documents === 'object' && r.documents !== null && Number.isInteger(r.bestEpoch) && Number.isInteger(r.epochs);
  if (!ok) throw new UserError(`is not fold ${fold}'s result as crossval writes it: delete it to run the fold again`, { file });
  return r as FoldResult;
}

/**
 * Records the study's settings in `outDir/plan.json`, or refuses a directory that holds another study,
 * or anything without a plan (its fold directories would be taken for this study's).
 */
function checkPlan(outDir: string, plan: Plan): void {
  const file = join(outDir, 'plan.json');
  if (!existsSync(file)) {
    const there = existsSync(outDir) ? readdirSync(outDir) : [];
    if (there.length) throw new UserError(`holds ${quote(there[0])}${there.length > 1 ? ` and ${there.length - 1} more` : ''} but no study (plan.json): choose a new or empty directory`, { file: outDir });
    makeDirs(outDir);
    writeFileAtomic(file, JSON.stringify(plan, null, 2) + '\n');
    return;
  }
  let before: Partial<Plan> | null;
  try {
    before = JSON.parse(readFileSync(file, 'utf8')) as Partial<Plan> | null;
  } catch (e) {
    throw new UserError(`cannot read the study's settings (${(e as Error).message}): choose another --out`, { file });
  }
  if (before === null || typeof before !== 'object') throw new UserError("is not a study's settings: choose another --out", { file });
  const differ = PLAN_KEYS.filter((key) => JSON.stringify(before![key]) !== JSON.stringify(plan[key]));
  if (differ.length && !trainedAny(outDir)) {
    // Nothing trained yet (a study that failed while starting): its plan and parts give way to this one.
    for (const name of readdirSync(outDir)) if (/^fold-\d+$/.test(name)) rmSync(join(outDir, name), { recursive: true, force: true });
    writeFileAtomic(file, JSON.stringify(plan, null, 2) + '\n');
    return;
  }
  if (differ.length)
    throw new UserError(
      `holds a study with other ${differ.map((key) => PLAN_WORDS[key]).join(', ')} (${describePlan(before)}): run it with those, or choose another --out`,
      { file },
    );
}

/** Whether any fold of the study in `outDir` has a result or a run. */
function trainedAny(outDir: string): boolean {
  return readdirSync(outDir).some((name) => /^fold-\d+$/.test(name) && (existsSync(join(outDir, name, 'result.json')) || existsSync(join(outDir, name, 'run'))));
}

const PLAN_WORDS: Record<string, string> = {
  dataDigest: 'data (the corpus changed)',
  corpusOptions: 'reading options',
  recipeDigest: 'training settings (the config or its --sets)',
  folds: 'number of folds',
  seed: 'seed',
};

function describePlan(p: Partial<Plan>): string {
  const reading = Object.entries(p.corpusOptions ?? {}).map(([key, v]) => `${key} ${v}`).join(', ');
  return `data ${p.data}${reading ? ` (${reading})` : ''}, config ${p.config}, ${p.folds} folds, seed ${p.seed}${p.sets?.length ? `, --set ${p.sets.join(' ')}` : ''}`;
}
