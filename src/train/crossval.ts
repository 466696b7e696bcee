/**
 * `entrel crossval`: k-fold cross-validation by whole documents, for a corpus too small to hold out one
 * test set that says much. Fold f is tested on, fold f + 1 chooses the model (dev, as `entrel train` needs
 * one), the others train it; each fold's score is the evaluator's micro F1 on its test fold, and the study
 * reports their mean and standard deviation. A fold's parts, run and result are kept under
 * `OUT/fold-f/`, so a stopped study goes on where it stopped when run again with the same settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../data/atomic.js';
import { Diagnostics } from '../data/diagnostics.js';
import { loadCorpus, writeCorpus, type CorpusOptions } from '../data/formats/index.js';
import { makeDirs } from '../data/io.js';
import { foldPositions } from '../data/split.js';
import { Interrupted, UserError } from '../errors.js';
import { loadConfig } from './config.js';
import { evaluateModel } from './evaluate.js';
import { trainNN } from './nn.js';

export interface CrossValOptions {
  /** Number of folds (at least 3: test, dev and train each need one; default 5). */
  folds?: number;
  /** Seed of the documents' order (default 1). */
  seed?: number;
  /** `--set key=value` overrides of the training config (not its data, which the folds are). */
  sets?: string[];
  /** How the corpus file is read. */
  corpus?: Omit<CorpusOptions, 'diagnostics'>;
  quiet?: boolean;
  stopRequested?: () => string | undefined;
  /** Told when a fold starts (the CLI's progress line). */
  onFold?: (fold: number, of: number) => void;
}

export interface FoldScores {
  entityF1: number;
  relationStrictF1: number;
  relationBoundariesF1: number;
}

export interface FoldResult extends FoldScores {
  fold: number;
  documents: { train: number; dev: number; test: number };
  bestEpoch: number;
  epochs: number;
}

export interface CrossValResult {
  folds: FoldResult[];
  mean: FoldScores;
  /** Sample standard deviation over the folds. */
  std: FoldScores;
  seed: number;
}

const SCORES = ['entityF1', 'relationStrictF1', 'relationBoundariesF1'] as const;

/** What a study directory was started with: running it again with other settings would mix two studies. */
interface Plan {
  data: string;
  config: string;
  folds: number;
  seed: number;
  sets: string[];
}

export async function crossValidate(configFile: string, dataFile: string, outDir: string, opts: CrossValOptions = {}): Promise<CrossValResult> {
  const k = opts.folds ?? 5;
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(k) || k < 3) throw new UserError(`must be a whole number of at least 3 (a test, a dev and a training fold), got ${k}`, { field: 'folds' });
  const sets = opts.sets ?? [];
  const dataKey = sets.find((s) => /^data\.(train|dev|test)\s*=/.test(s));
  if (dataKey) throw new UserError(`${dataKey.split('=')[0].trim()} is what the folds are: cross-validation sets the training, dev and test data itself`, { field: '--set' });
  // The folds are the data: a config's own data files are neither needed nor read.
  const foldData = (train: string, dev: string) => [...sets, `data.train=${JSON.stringify(train)}`, `data.dev=${JSON.stringify(dev)}`, 'data.format="jsonl"'];
  loadConfig(configFile, foldData('train.jsonl', 'dev.jsonl')); // a bad config or --set fails before the corpus is read
  const corpus = await loadCorpus(dataFile, { ...opts.corpus, diagnostics: new Diagnostics() });
  const n = corpus.documents.length;
  if (n < k) throw new UserError(`holds ${n} document${n === 1 ? '' : 's'}, too few for ${k} folds (the folds are whole documents; give fewer --folds)`, { file: dataFile });
  checkPlan(outDir, { data: resolve(dataFile), config: resolve(configFile), folds: k, seed, sets });

  const folds = foldPositions(n, k, seed);
  const results: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const dir = join(outDir, `fold-${f + 1}`);
    const resultFile = join(dir, 'result.json');
    if (existsSync(resultFile)) {
      results.push(JSON.parse(readFileSync(resultFile, 'utf8')) as FoldResult);
      continue;
    }
    opts.onFold?.(f + 1, k);
    const dev = (f + 1) % k;
    const parts = { test: folds[f], dev: folds[dev], train: folds.filter((_, i) => i !== f && i !== dev).flat().sort((a, b) => a - b) };
    const files = { train: join(dir, 'train.jsonl'), dev: join(dir, 'dev.jsonl'), test: join(dir, 'test.jsonl') };
    makeDirs(dir);
    for (const p of ['train', 'dev', 'test'] as const)
      if (!existsSync(files[p])) await writeCorpus(parts[p].map((i) => corpus.documents[i]), corpus.schema, files[p], 'jsonl', new Diagnostics());
    const loaded = loadConfig(configFile, foldData(files.train, files.dev));
    const config = { ...loaded, data: { ...loaded.data, test: undefined } }; // the test fold is scored below
    const runDir = join(dir, 'run');
    let run;
    try {
      run = await trainNN(config, runDir, { resume: existsSync(join(runDir, 'last')), quiet: opts.quiet, stopRequested: opts.stopRequested });
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      throw new Interrupted(`fold ${f + 1} of ${k}: ${e.message.replace(/: run the same command with --resume to continue$/, '')}; run the same crossval command to go on where it stopped`);
    }
    const report = await evaluateModel(run.bestDir, files.test, { format: 'jsonl' });
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
    results.push(result);
  }
  const stat = (f: (xs: number[]) => number) => Object.fromEntries(SCORES.map((s) => [s, f(results.map((r) => r[s]))])) as unknown as FoldScores;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
  const out: CrossValResult = { folds: results, mean: stat(mean), std: stat(std), seed };
  writeFileAtomic(join(outDir, 'crossval.json'), JSON.stringify(out, null, 2) + '\n');
  return out;
}

/** Records the study's settings in `outDir/plan.json`, or refuses a directory that holds another study. */
function checkPlan(outDir: string, plan: Plan): void {
  const file = join(outDir, 'plan.json');
  if (existsSync(file)) {
    let before: unknown;
    try {
      before = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UserError(`cannot read the study's settings (${(e as Error).message}): choose another --out`, { file });
    }
    if (JSON.stringify(before) !== JSON.stringify(plan))
      throw new UserError(`holds a study with other settings (${describePlan(before as Plan)}): run it with those, or choose another --out`, { file });
    return;
  }
  makeDirs(outDir);
  writeFileAtomic(file, JSON.stringify(plan, null, 2) + '\n');
}

function describePlan(p: Plan): string {
  return `data ${p.data}, config ${p.config}, ${p.folds} folds, seed ${p.seed}${p.sets?.length ? `, --set ${p.sets.join(' ')}` : ''}`;
}
