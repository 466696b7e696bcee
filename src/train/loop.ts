/**
 * The training loop shared by NN pretraining and MRT: seeded shuffle, minibatches, backward, gradient
 * clipping, optimiser step (each batch inside one `tidy` scope), dev evaluation after every epoch (with
 * the weight average when `ema` is on), `best/` model and `last/` checkpoint written atomically, early
 * stopping, exact resume, JSONL log, progress bar and training-curve SVG. What is trained and how a batch's loss is computed is the
 * `TrainTask`'s business.
 *
 * Out directory: best/ (model directory of the best dev score, `select`: relation F1 or the mean of
 * entity and relation F1), last/ (checkpoint), train.log.jsonl, curve.svg.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from '../data/io.js';
import { counted, Interrupted, quote, UserError } from '../errors.js';
import type { NamedParameters, Rng } from '../model/types.js';
import { clipGradNorm, getRngState, manualSeed, noGrad, releaseFreeMemory, setNumThreads, tidy, type Tensor } from '../tensor/index.js';
import { writeDirAtomic, writeError, writeFileAtomic } from '../data/atomic.js';
import { WeightAverage, withAverage } from './average.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, CHECKPOINT_VERSION, LAST_CHECKPOINT_KEPT, type RunState } from './checkpoint.js';
import { TrainConfigSchema, type TrainConfig } from './config-schema.js';
import { readLogRecords, TrainLog, type EpochRecord, type ValidationRecord } from './log.js';
import { machineRecord } from './machine.js';
import { nonFiniteParameter } from '../model/io.js';
import { createOptimizer, type Optimizer, type OptimizerState } from './optim.js';
import { curveSvg } from './plot.js';
import { createProgress } from './progress.js';
import { checkRunLock, lockRun } from './run-lock.js';
import { TrainRng } from './rng.js';
import { lrScale, scheduled } from './schedule.js';
import { emitWarning, type OnWarning } from './warnings.js';

export interface BatchLoss {
  loss: Tensor;
  /** Named parts of the loss for the log (e.g. ent, rel). */
  parts: Record<string, Tensor>;
  /** Candidate pairs in the batch (throughput figure). */
  pairs: number;
}

export interface DevScores {
  entF1: number;
  relF1: number;
}

/** Where in a run a kept model comes from: its epoch (1-based), how far into it (`validateEvery`), its dev scores. */
export interface ChosenAt {
  epoch: number;
  /** Training sentences of the epoch done, when scored within it; absent at its end. */
  sentences?: number;
  dev: DevScores;
}

export interface TrainTask {
  readonly params: NamedParameters;
  /** Number of training sentences. */
  readonly size: number;
  setTraining(on: boolean): void;
  /** The loss of the training sentences with these indices; `epoch` is 0-based. */
  batchLoss(indices: number[], ctx: { epoch: number; rng: Rng }): BatchLoss;
  /** Dev set micro F1 of entities and strict relations (called in eval mode, without autograd). */
  evaluateDev(): DevScores;
  /** Writes a complete model directory into `dir` (an empty directory), recording the epoch and dev scores it was chosen at. */
  saveModel(dir: string, chosen: ChosenAt): void | Promise<void>;
  /** Digests of the data trained and selected on, by config key (`data.train`): a resume on other data is refused. */
  readonly data?: Readonly<Record<string, string>>;
}

export interface TrainOptions {
  resume?: boolean;
  /** No notes (resuming, per-epoch lines, word-vector coverage) on stderr; warnings still go to `onWarning`. */
  quiet?: boolean;
  /** Receives what the caller should know (data the model cannot learn from, …). Default: `process.emitWarning`. */
  onWarning?: OnWarning;
  /** Called after every epoch's checkpoint (tests, experiments). */
  onEpoch?: (r: EpochRecord) => void;
  /**
   * Asked between batches (the loop yields to the event loop there, so signal handlers run): a name
   * (e.g. "SIGINT") ends the run after the batch in flight, keeping the last complete checkpoint.
   */
  stopRequested?: () => string | undefined;
}

export interface TrainResult {
  outDir: string;
  bestDir: string;
  bestScore: number;
  bestEpoch: number;
  /** Where best/'s model was chosen (its epoch, and how far into it with `validateEvery`) and its dev scores; none before the first epoch. */
  chosen?: ChosenAt;
  epochs: number;
  /** Seconds from the start of the run to the end of the best epoch (across resumes). */
  secondsToBest: number;
  history: EpochRecord[];
}

/**
 * What a run refuses before it reads any data, so that a wrong --out or thread count is reported at once
 * rather than after loading a large corpus (trainNN, continueNN and trainMRT call it; runTraining checks
 * again): the output directory (checkRunDir) and the thread count (checkThreads).
 */
export function checkRunStart(config: TrainConfig, outDir: string, opts: TrainOptions): void {
  checkRunLock(outDir);
  checkRunDir(outDir, opts.resume);
  checkThreads(config.threads, opts.onWarning ?? emitWarning);
}

/**
 * Refuses an output directory that a new run would damage: one holding a run (without --resume), or a
 * `last/` that is not a checkpoint.
 */
function checkRunDir(outDir: string, resume: boolean | undefined): void {
  const lastDir = join(outDir, 'last');
  if (hasCheckpoint(lastDir)) {
    if (resume) return;
    throw new UserError('already holds a training run: pass --resume to continue it, or choose another --out', { file: outDir });
  }
  // Checkpoints are written whole (atomic.ts), so a `last` without one is not ours: it would be replaced.
  if (existsSync(lastDir))
    throw new UserError('exists but holds no training checkpoint (no state.json), and training would replace it: move it away or choose another --out', { file: lastDir });
  // A model without its checkpoint (last/ removed): nothing to continue, and a new run would replace it.
  // Not a best/ of an unfinished first epoch (validateEvery writes one before any checkpoint): the run
  // starts again, as the interruption said it would.
  if (existsSync(join(outDir, 'best')) && !firstEpochUnfinished(outDir))
    throw new UserError(`holds a trained model (best/) but no checkpoint to continue it from (no last/)${resume ? ', so --resume would start a new run over it' : ''}: move it away or choose another --out`, { file: outDir });
}

/** Whether the run's log shows a run that completed no epoch (a log without one `epoch` line). */
function firstEpochUnfinished(outDir: string): boolean {
  const file = join(outDir, 'train.log.jsonl');
  if (!existsSync(file)) return false; // a best/ of unknown origin: kept
  return !readLogRecords(file).some((r) => r.type === 'epoch');
}

export async function runTraining(task: TrainTask, config: TrainConfig, outDir: string, kind: string, opts: TrainOptions = {}): Promise<TrainResult> {
  checkThreads(config.threads, opts.onWarning ?? emitWarning);
  try {
    makeDirs(outDir);
  } catch (e) {
    throw writeError('the output directory', outDir, e);
  }
  const release = lockRun(outDir);
  try {
    return await train(task, config, outDir, kind, opts);
  } finally {
    release();
  }
}

/** runTraining in its locked run directory. */
async function train(task: TrainTask, config: TrainConfig, outDir: string, kind: string, opts: TrainOptions): Promise<TrainResult> {
  const lastDir = join(outDir, 'last');
  const bestDir = join(outDir, 'best');
  setNumThreads(config.threads);
  const params = task.params;
  const average = config.ema > 0 ? new WeightAverage(params, config.ema) : undefined;
  const optimizer = createOptimizer(config.optimizer, params, config);
  const opt = average ? withAverage(optimizer, average) : optimizer;
  const { state, rng, log } = startOrResume(task, config, outDir, kind, opt, opts);

  const progress = createProgress(opts.quiet === true);
  // Patience counts from the best epoch, and only once the dev score has left 0: a model still on the
  // all-O plateau (anchors README) has not started to learn, so "no improvement" means nothing yet.
  const stopEarly = () => config.patience > 0 && state.bestScore > 0 && state.epoch - state.bestEpoch >= config.patience;
  while (state.epoch < config.epochs && !stopEarly()) {
    const t0 = performance.now();
    const epoch = state.epoch; // 0-based index of the epoch being run
    const order = rng.shuffle(Array.from({ length: task.size }, (_, i) => i));
    opt.lrScale = lrScale(state.history, config);
    const sums: Record<string, number> = {};
    let batches = 0;
    let pairs = 0;
    let done = 0;
    /** Scores dev, and keeps the model as best/ when it is; `sentences`: how far into the epoch (undefined: its end). */
    const validate = (sentences?: number) => {
      const scoreAndKeep = async () => {
        const dev = noGrad(() => task.evaluateDev());
        const score = selectionScore(dev, config.select);
        const improved = score > state.bestScore;
        const chosen: ChosenAt = { epoch: epoch + 1, dev, ...(sentences !== undefined && { sentences }) };
        if (improved) await writeDirAtomic(bestDir, 'the best model', (tmp) => task.saveModel(tmp, chosen), LAST_CHECKPOINT_KEPT);
        return { dev, score, improved, chosen };
      };
      return average ? average.with(scoreAndKeep) : scoreAndKeep();
    };
    task.setTraining(true);
    progress.start(epoch + 1, task.size);
    for (let j = 0; j < order.length; j += config.batchSize) {
      const idx = order.slice(j, j + config.batchSize);
      const { vals, pairs: batchPairs } = trainStep(task, idx, { epoch, rng }, opt, config.clip);
      pairs += batchPairs;
      // A NaN or infinite loss has already reached the weights: going on would train and save garbage.
      if (!Number.isFinite(vals.total)) {
        progress.stop();
        throw diverged(vals.total, `epoch ${epoch + 1}, batch ${batches + 1}`, state.epoch, outDir, config);
      }
      for (const [k, v] of Object.entries(vals)) sums[k] = (sums[k] ?? 0) + v;
      batches++;
      done += idx.length;
      progress.update(done, sums.total / batches, done / ((performance.now() - t0) / 1000));
      // Within the epoch (its end is scored below): dev in eval mode, which draws no random numbers, so
      // training goes on exactly as without it.
      const every = config.validateEvery;
      if (every > 0 && done < order.length && Math.floor(done / every) > Math.floor((done - idx.length) / every)) {
        task.setTraining(false);
        const broken = nonFiniteParameter(params);
        if (broken !== undefined) throw diverged(`finite, but ${quote(broken)} holds NaN or infinite values`, `epoch ${epoch + 1}`, state.epoch, outDir, config);
        const v = await validate(done);
        task.setTraining(true);
        log.write({ type: 'validation', epoch: epoch + 1, sentences: done, dev: v.dev, best: v.improved } satisfies ValidationRecord);
        if (v.improved) [state.bestScore, state.bestEpoch, state.secondsToBest, state.chosen] = [v.score, epoch + 1, state.elapsed + (performance.now() - t0) / 1000, v.chosen];
      }
      if (opts.stopRequested) {
        await new Promise((resolve) => setImmediate(resolve));
        const signal = opts.stopRequested();
        if (signal) {
          progress.stop();
          throw interrupted(signal, `in epoch ${epoch + 1}`, state.epoch, outDir);
        }
      }
    }
    progress.stop();
    const trainSeconds = (performance.now() - t0) / 1000;
    task.setTraining(false);
    // A finite loss can still leave weights that are not (an infinite gradient clipped to 0·∞): scored, they
    // find nothing, so they would be kept as a model and checkpointed for a resume.
    const broken = nonFiniteParameter(params);
    if (broken !== undefined) throw diverged(`finite, but ${quote(broken)} holds NaN or infinite values`, `epoch ${epoch + 1}`, state.epoch, outDir, config);
    const { dev, score, improved, chosen } = await validate();
    const seconds = (performance.now() - t0) / 1000;
    const record: EpochRecord = {
      type: 'epoch',
      epoch: epoch + 1,
      loss: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(1, batches)])),
      dev,
      best: improved,
      seconds: round(trainSeconds),
      evalSeconds: round(seconds - trainSeconds),
      sentencesPerSecond: round(task.size / trainSeconds),
      pairsPerBatch: round(pairs / Math.max(1, batches)),
      ...(scheduled(config) ? { lrScale: opt.lrScale } : {}),
    };
    log.write(record);
    state.epoch = epoch + 1;
    state.elapsed += seconds;
    if (improved) [state.bestScore, state.bestEpoch, state.secondsToBest, state.chosen] = [score, epoch + 1, state.elapsed, chosen];
    state.history.push(record);
    state.finished = state.epoch >= config.epochs || stopEarly();
    writeFileAtomic(join(outDir, 'curve.svg'), curveSvg(state.history, `${kind} training: ${outDir}`));
    await checkpoint(lastDir, params, opt.state(), state, rng, log);
    releaseFreeMemory(); // else resident memory climbs epoch by epoch with nothing alive (scope.ts)
    if (!opts.quiet) process.stderr.write(summary(record) + '\n');
    opts.onEpoch?.(record);
    if (opts.stopRequested && !state.finished) {
      // A signal that came during the dev evaluation or the checkpoint (synchronous work) is handled only
      // once the event loop turns: turned here, it stops the run before the next epoch's first batch.
      await new Promise((resolve) => setImmediate(resolve));
      const signal = opts.stopRequested();
      if (signal) throw interrupted(signal, `after epoch ${state.epoch}`, state.epoch, outDir);
    }
  }
  // Written after the last checkpoint, whose log offset therefore ends before it: a finished run resumed
  // (for more epochs, or again) drops this line with the truncation and ends with one `end` of its own.
  log.write({ type: 'end', epochs: state.epoch, bestEpoch: state.bestEpoch, bestScore: state.bestScore, select: config.select, reason: stopEarly() ? 'patience' : 'epochs' });
  // A checkpoint of an earlier entrel does not record `chosen`: the end of the best epoch chose then.
  const best = state.history.find((h) => h.epoch === state.bestEpoch);
  const chosen = state.chosen ?? (best && { epoch: best.epoch, dev: best.dev });
  return {
    outDir, bestDir, bestScore: state.bestScore, bestEpoch: state.bestEpoch, ...(chosen && { chosen }), epochs: state.epoch,
    secondsToBest: state.secondsToBest, history: state.history,
  };
}

/**
 * The run's state, random generator and log: from last/'s checkpoint when resuming it (refused if the
 * settings or the data changed since), else fresh, seeded by the config.
 */
function startOrResume(task: TrainTask, config: TrainConfig, outDir: string, kind: string, opt: Optimizer, opts: TrainOptions): { state: RunState; rng: TrainRng; log: TrainLog } {
  const lastDir = join(outDir, 'last');
  const logFile = join(outDir, 'train.log.jsonl');
  if (opts.resume === true && hasCheckpoint(lastDir)) {
    const ck = loadCheckpoint(lastDir, task.params, kind);
    const state = ck.state;
    const moved = checkSameRun(state.config, config, lastDir, { saved: state.data, now: task.data });
    checkSameData(state.data, task.data, lastDir, config);
    // Digests an earlier entrel did not record: those of what the run goes on with, for the next resume.
    if (task.data) state.data = { ...task.data, ...state.data };
    // The next checkpoint records the paths the run goes on with: a resume from here compares with them.
    for (const [key, , path] of moved) setSetting(state.config, key, path);
    opt.load(ck.opt);
    const onWarning = opts.onWarning ?? emitWarning;
    const saved = (state.config as { threads?: unknown }).threads;
    if (saved !== undefined && saved !== config.threads)
      onWarning(`${lastDir}: resumed with threads ${config.threads}, not the run's ${JSON.stringify(saved)}: float sums split otherwise, so the run goes on close to, not bit for bit as, an uninterrupted one`);
    const { log, rebuilt } = TrainLog.resume(logFile, state.logOffset, () => [{ type: 'start', kind, rebuilt: true, config: state.config }, ...state.history]);
    if (rebuilt)
      onWarning(`${logFile}: not the log the checkpoint was written with (missing, shorter or damaged): rewritten from the checkpoint, its epochs kept (their validation lines and earlier sessions' machines are lost)`);
    log.write({ type: 'resume', after: state.epoch, time: new Date().toISOString(), machine: machineRecord(), epochs: config.epochs, patience: config.patience, threads: config.threads });
    if (!opts.quiet && moved.length)
      process.stderr.write(`entrel: ${lastDir}: ${moved.map(([key, was, is]) => `${key} is ${quote(is, 200)}, not ${quote(was, 200)} as in the checkpoint`).join('; ')}: the same content (by its digest), so the run resumes with ${moved.length > 1 ? 'these paths' : 'this path'}\n`);
    if (!opts.quiet) process.stderr.write(`entrel: resuming ${outDir} after epoch ${state.epoch}\n`);
    return { state, rng: ck.rng, log };
  }
  // A mistyped --out with --resume would otherwise start over without a word.
  if (opts.resume) (opts.onWarning ?? emitWarning)(`${lastDir}: no checkpoint to resume from: starting a new run`);
  checkRunDir(outDir, opts.resume);
  manualSeed(config.seed);
  const state: RunState = {
    version: CHECKPOINT_VERSION, kind, epoch: 0, bestScore: -1, bestEpoch: 0, secondsToBest: 0, rng: [], torchRng: '',
    logOffset: 0, elapsed: 0, finished: false, history: [], config, ...(task.data && { data: task.data }),
  };
  const log = TrainLog.open(logFile);
  log.write({ type: 'start', kind, time: new Date().toISOString(), machine: machineRecord(), config });
  return { state, rng: TrainRng.seeded(config.seed), log };
}

/** One optimiser step on the training sentences `idx` (in one `tidy` scope): the loss and its parts as numbers, and the candidate pairs. */
function trainStep(task: TrainTask, idx: number[], ctx: { epoch: number; rng: Rng }, opt: Optimizer, clip: number): { vals: Record<string, number>; pairs: number } {
  return tidy(() => {
    const out = task.batchLoss(idx, ctx);
    out.loss.backward();
    clipGradNorm([...task.params.values()], clip);
    opt.step();
    opt.zeroGrad();
    const vals: Record<string, number> = { total: out.loss.item() };
    for (const [k, t] of Object.entries(out.parts)) vals[k] = t.item();
    return { vals, pairs: out.pairs };
  });
}

/** Most libtorch threads a run takes per core of the machine: beyond, they only wait on each other. */
const THREADS_PER_CORE = 4;

/** The thread counts warned about in this process: a run checks before and after reading its data, and crossval's folds are runs of one study. */
const warnedThreads = new Set<number>();

/**
 * libtorch threads beyond the machine's cores share them, and every step waits for the slowest: warned
 * from one over the cores (once a process), refused beyond THREADS_PER_CORE times them, where a run crawls
 * (measured with a tiny model on 2 cores: threads 64 took 30 times as long as 1, and 1000 seemed to hang).
 * Checked on the machine that runs, not in the config, which may have been written on a larger one.
 */
export function checkThreads(threads: number, onWarning: OnWarning): void {
  const cores = availableParallelism();
  if (threads > THREADS_PER_CORE * cores)
    throw new UserError(`${threads} is more than ${THREADS_PER_CORE} times the ${cores} cores of this machine: the threads would only wait on each other, and training crawl; set threads (or ENTREL_THREADS) to at most ${cores}`, { field: 'threads' });
  if (threads > cores && !warnedThreads.has(threads)) {
    warnedThreads.add(threads);
    onWarning(`threads ${threads} is more than the ${cores} cores of this machine: training runs slower than with threads ${cores}`);
  }
}

/** How a stopped run ends: what was kept, and how to go on. */
function interrupted(signal: string, when: string, completed: number, outDir: string): Interrupted {
  const kept = completed > 0
    ? `the checkpoint after epoch ${completed} is kept in ${join(outDir, 'last')}: run the same command with --resume to continue`
    : 'no epoch was completed, so there is nothing to resume';
  return new Interrupted(`interrupted (${signal}) ${when}; ${kept}`, { file: outDir });
}

/** A run whose loss (or weights) left the finite numbers: what was kept, and what to change (settings a resume keeps). */
function diverged(loss: number | string, when: string, completed: number, outDir: string, config: TrainConfig): UserError {
  const kept = completed > 0 ? `the checkpoint after epoch ${completed} is kept in ${join(outDir, 'last')}` : 'no epoch was completed';
  const lr = `${config.optimizer}.lr`;
  return new UserError(
    `training diverged: the loss is ${loss} in ${when} (${kept}); train again into a new --out with a lower ${lr} (now ${config[config.optimizer].lr}) or smaller loss weights`,
    { file: outDir },
  );
}

/** The dev score that selects the model (config `select`). */
export function selectionScore(dev: DevScores, select: TrainConfig['select']): number {
  return select === 'relation' ? dev.relF1 : (dev.entF1 + dev.relF1) / 2;
}

async function checkpoint(dir: string, params: NamedParameters, opt: OptimizerState, state: RunState, rng: TrainRng, log: TrainLog): Promise<void> {
  state.rng = rng.getState();
  state.torchRng = Buffer.from(getRngState()).toString('base64');
  state.logOffset = log.offset;
  await saveCheckpoint(dir, params, opt, state);
}

/** Settings a resumed run may change: the budget and the thread count; anything else is another run. */
const RESUMABLE_CHANGES = new Set(['epochs', 'patience', 'threads']);

/**
 * Settings that name files or directories (absolute once read: config.ts). A checkout moved or renamed
 * since the checkpoint changes them all: such a setting may name another path when what is there has the
 * digest the checkpoint recorded of what it named (TrainTask.data, by the same key); otherwise, or without
 * a recorded digest, it is a changed setting like any other.
 */
const PATH_SETTINGS = new Set(['data.train', 'data.dev', 'data.test', 'init', 'embeddings']);

type Digests = Readonly<Record<string, string>> | undefined;

/**
 * Refuses a resume whose settings differ from the checkpoint's (budget and threads aside); returns the path
 * settings that name other paths holding the same content (PATH_SETTINGS): key, path then, path now.
 */
function checkSameRun(savedRaw: Record<string, unknown>, now: TrainConfig, dir: string, digests: { saved: Digests; now: Digests }): [string, unknown, unknown][] {
  // A checkpoint written before a setting existed holds that setting's default (schema defaults fill it).
  const parsed = TrainConfigSchema.safeParse(savedRaw);
  const saved: Record<string, unknown> = parsed.success ? parsed.data : savedRaw;
  const all = [...new Set([...Object.keys(saved), ...Object.keys(now)])]
    .filter((key) => !RESUMABLE_CHANGES.has(key))
    .flatMap((key) => differences(saved[key], now[key as keyof TrainConfig], key));
  const sameContent = ([key]: [string, unknown, unknown]) => {
    const [was, is] = [digests.saved?.[key], digests.now?.[key]];
    return PATH_SETTINGS.has(key) && was !== undefined && was === is;
  };
  const moved = all.filter(sameContent);
  const diffs = all.filter((d) => !sameContent(d));
  if (diffs.length === 0) return moved;
  const [[key, was, is]] = diffs;
  // A default changed since the checkpoint (footnote 12's α and K without Γ) looks the same: the user
  // changed nothing. Every setting that differs is given back, so that the hint resumes the run.
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  const asItWas = diffs.every(([, v]) => scalar(v)) ? `; to resume it as it was: --set ${diffs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}` : '';
  const more = diffs.length > 1 ? ` and ${counted(diffs.length - 1, 'other setting')}` : '';
  throw new UserError(`cannot resume with a different "${key}" (${quote(was, 200)} in the checkpoint, ${quote(is, 200)} now)${more}; only epochs, patience and threads may change${asItWas}`, { file: dir });
}

/**
 * The data the run was trained and selected on so far, the model it started from and the word vectors it
 * reads through, by digest (TrainTask.data): a file edited since the checkpoint (a relabelling keeps the
 * vocabulary, so the weights still fit) would go on as another run without a word.
 */
function checkSameData(saved: Digests, now: Digests, dir: string, config: TrainConfig): void {
  // A checkpoint of an earlier entrel records no digests, a task may have none: nothing to compare.
  if (!saved || !now) return;
  for (const [key, digest] of Object.entries(now)) {
    if (saved[key] === undefined || saved[key] === digest) continue;
    const changed = (file: string, what: string, fix: string) => new UserError(`changed since the checkpoint in ${dir} (${key}: ${what}): ${fix}`, { file });
    if (key === 'data.train' || key === 'data.dev') {
      const files = [config.data[key === 'data.dev' ? 'dev' : 'train']].flat().join(', ');
      const used = key === 'data.dev' ? 'selected its models on' : 'was trained on';
      throw changed(files, `other documents or annotations than the run ${used} so far`, 'restore it to resume, or train on it into a new --out');
    }
    if (key === 'init' && config.init !== undefined)
      throw changed(config.init, 'another model than the run started from', 'restore it to resume, or start from it into a new --out');
    if (key === 'embeddings' && config.embeddings !== undefined)
      throw changed(config.embeddings, 'other word vectors than the run reads its words through', 'restore them to resume, or train with them into a new --out');
    // data.test: training does not read it; its digest only lets a moved checkout resume (checkSameRun).
  }
}

/** Sets the setting at a dotted path (`data.train`) of a config as a checkpoint holds it. */
function setSetting(config: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = config;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Every setting (dotted path, down to a leaf of nested blocks such as `model`) where two configs differ. */
function differences(a: unknown, b: unknown, path: string): [string, unknown, unknown][] {
  const block = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (block(a) && block(b)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differences(a[k], b[k], `${path}.${k}`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [[path, a, b]];
}

function summary(r: EpochRecord): string {
  const loss = Object.entries(r.loss).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ');
  return `epoch ${r.epoch} ${loss} dev ent_f1=${r.dev.entF1.toFixed(4)} rel_f1=${r.dev.relF1.toFixed(4)}${r.best ? ' *' : ''}${r.lrScale !== undefined && r.lrScale < 1 ? ` lr×${+r.lrScale.toPrecision(3)}` : ''} ${r.sentencesPerSecond.toFixed(0)} sent/s ${r.seconds.toFixed(1)}+${r.evalSeconds.toFixed(1)} s`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
