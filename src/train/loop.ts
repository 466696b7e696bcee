/**
 * The training loop shared by NN pretraining and MRT: seeded shuffle, minibatches, backward, gradient
 * clipping, optimiser step (each batch inside one `tidy` scope), dev evaluation after every epoch (with
 * the weight average when `ema` is on), `best/` model and `last/` checkpoint written atomically, early
 * stopping, exact resume, JSONL log, progress bar and training-curve SVG. What is trained and how a batch's loss is computed is the
 * `TrainTask`'s business.
 *
 * Out directory: best/ (model directory of the best dev score, `select`: relation F1 or the mean of
 * entity and relation F1, ties broken on the other score: select.ts), last/ (checkpoint), train.log.jsonl,
 * curve.svg. A resume is checked against the checkpoint's settings and data first (resume.ts).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from '../data/dirs.js';
import { Interrupted, quote, UserError } from '../errors.js';
import type { NamedParameters, Rng } from '../model/types.js';
import { clipGradNorm, getRngState, manualSeed, noGrad, releaseFreeMemory, setNumThreads, tidy, type Tensor } from '../tensor/index.js';
import { writeDirAtomic, writeError, writeFileAtomic } from '../data/atomic.js';
import { WeightAverage, withAverage } from './average.js';
import { hasCheckpoint, readCheckpointState, restoreCheckpoint, saveCheckpoint, CHECKPOINT_VERSION, LAST_CHECKPOINT_KEPT, type RunState } from './checkpoint.js';
import { THREADS_PER_CORE, type TrainConfig } from './config-schema.js';
import { TrainLog, type EpochRecord, type ValidationRecord } from './log.js';
import { machineRecord } from './machine.js';
import { nonFiniteParameter } from '../model/io.js';
import { createOptimizer, type Optimizer, type OptimizerState } from './optim.js';
import { curveSvg } from './plot.js';
import { createProgress, type Progress } from './progress.js';
import { checkResume, checkRunDir } from './resume.js';
import { checkRunLock, lockRun } from './run-lock.js';
import { TrainRng } from './rng.js';
import { lrScale, scheduled } from './schedule.js';
import { isBetter, selectionScore, zeroScoreWarning, type DevScores } from './select.js';
import { emitWarning, warnAbout, type OnWarning } from './warnings.js';

export type { DevScores } from './select.js';

export interface BatchLoss {
  loss: Tensor;
  /** Named parts of the loss for the log (e.g. ent, rel). */
  parts: Record<string, Tensor>;
  /** Candidate pairs in the batch (throughput figure). */
  pairs: number;
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
  /** Continue the run in outDir from its last checkpoint (last/), refusing changed settings or data; without one, a warning and a new run. */
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

/** A run under way: what it trains and how, where it writes, and its state so far. */
interface Run {
  readonly task: TrainTask;
  readonly config: TrainConfig;
  readonly outDir: string;
  readonly opts: TrainOptions;
  readonly opt: Optimizer;
  /** The weight average dev is scored and best/ written with (`ema`). */
  readonly average: WeightAverage | undefined;
  readonly state: RunState;
  readonly rng: TrainRng;
  readonly log: TrainLog;
  readonly progress: Progress;
}

/** runTraining in its locked run directory. */
async function train(task: TrainTask, config: TrainConfig, outDir: string, kind: string, opts: TrainOptions): Promise<TrainResult> {
  setNumThreads(config.threads);
  const average = config.ema > 0 ? new WeightAverage(task.params, config.ema) : undefined;
  const optimizer = createOptimizer(config.optimizer, task.params, config);
  const opt = average ? withAverage(optimizer, average) : optimizer;
  const run: Run = { task, config, outDir, opts, opt, average, progress: createProgress(opts.quiet === true), ...startOrResume(task, config, outDir, kind, opt, opts) };
  const { state, log } = run;
  // Patience counts from the best epoch, and only once the dev score has left 0: a model still on the
  // all-O plateau (anchors README) has not started to learn, so "no improvement" means nothing yet. At 0
  // the tie-break (select.ts) still moves best/ to better entities, but relation F1 often leaves 0 only
  // epochs after entity F1 has levelled off: counted there, patience would stop such a run before it.
  const stopEarly = () => config.patience > 0 && state.bestScore > 0 && state.epoch - state.bestEpoch >= config.patience;
  while (state.epoch < config.epochs && !stopEarly()) {
    const record = await runEpoch(run);
    state.finished = state.epoch >= config.epochs || stopEarly();
    writeFileAtomic(join(outDir, 'curve.svg'), curveSvg(state.history, `${kind} training: ${outDir}`));
    await checkpoint(join(outDir, 'last'), task.params, opt.state(), state, run.rng, log);
    releaseFreeMemory(); // else resident memory climbs epoch by epoch with nothing alive (scope.ts)
    if (!opts.quiet) process.stderr.write(summary(record) + '\n');
    opts.onEpoch?.(record);
    // A signal that came during the dev evaluation or the checkpoint (synchronous work) is handled only
    // once the event loop turns: turned here, it stops the run before the next epoch's first batch.
    if (!state.finished) await checkStopRequested(run, `after epoch ${state.epoch}`);
  }
  // Written after the last checkpoint, whose log offset therefore ends before them: a finished run resumed
  // (for more epochs, or again) drops these lines with the truncation and ends with its own.
  if (state.bestScore === 0) warnScoredZero(run);
  log.write({ type: 'end', epochs: state.epoch, bestEpoch: state.bestEpoch, bestScore: state.bestScore, select: config.select, reason: stopEarly() ? 'patience' : 'epochs' });
  const chosen = bestChosen(state);
  return {
    outDir, bestDir: join(outDir, 'best'), bestScore: state.bestScore, bestEpoch: state.bestEpoch, ...(chosen && { chosen }), epochs: state.epoch,
    secondsToBest: state.secondsToBest, history: state.history,
  };
}

/**
 * One epoch: its batches in the seeded order, dev scored within it (`validateEvery`) and at its end, best/
 * written when dev improves; its record is logged and added to the run's state. Throws when the loss or
 * the weights leave the finite numbers, or a stop is requested.
 */
async function runEpoch(run: Run): Promise<EpochRecord> {
  const { task, config, state, opt, progress } = run;
  const t0 = performance.now();
  const epoch = state.epoch; // 0-based index of the epoch being run
  const order = run.rng.shuffle(Array.from({ length: task.size }, (_, i) => i));
  opt.lrScale = lrScale(state.history, config);
  const sums: Record<string, number> = {};
  let batches = 0;
  let pairs = 0;
  let done = 0;
  task.setTraining(true);
  progress.start(epoch + 1, task.size);
  try {
    for (let j = 0; j < order.length; j += config.batchSize) {
      const idx = order.slice(j, j + config.batchSize);
      const { vals, pairs: batchPairs } = trainStep(task, idx, { epoch, rng: run.rng }, opt, config.clip);
      pairs += batchPairs;
      // A NaN or infinite loss has already reached the weights: going on would train and save garbage.
      if (!Number.isFinite(vals.total)) throw diverged(vals.total, `epoch ${epoch + 1}, batch ${batches + 1}`, state.epoch, run.outDir, config);
      for (const [k, v] of Object.entries(vals)) sums[k] = (sums[k] ?? 0) + v;
      batches++;
      done += idx.length;
      progress.update(done, sums.total / batches, done / ((performance.now() - t0) / 1000));
      // Within the epoch (its end is scored below): dev in eval mode, which draws no random numbers, so
      // training goes on exactly as without it.
      const every = config.validateEvery;
      if (every > 0 && done < order.length && Math.floor(done / every) > Math.floor((done - idx.length) / every)) {
        task.setTraining(false);
        const v = await validate(run, done);
        task.setTraining(true);
        run.log.write({ type: 'validation', epoch: epoch + 1, sentences: done, dev: v.chosen.dev, best: v.improved } satisfies ValidationRecord);
        if (v.improved) keepBest(state, v, state.elapsed + (performance.now() - t0) / 1000);
      }
      await checkStopRequested(run, `in epoch ${epoch + 1}`);
    }
  } finally {
    progress.stop();
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  task.setTraining(false);
  const v = await validate(run);
  const seconds = (performance.now() - t0) / 1000;
  const record: EpochRecord = {
    type: 'epoch',
    epoch: epoch + 1,
    loss: Object.fromEntries(Object.entries(sums).map(([k, x]) => [k, x / Math.max(1, batches)])),
    dev: v.chosen.dev,
    best: v.improved,
    seconds: round(trainSeconds),
    evalSeconds: round(seconds - trainSeconds),
    sentencesPerSecond: round(task.size / trainSeconds),
    pairsPerBatch: round(pairs / Math.max(1, batches)),
    ...(scheduled(config) ? { lrScale: opt.lrScale } : {}),
  };
  run.log.write(record);
  state.epoch = epoch + 1;
  state.elapsed += seconds;
  if (v.improved) keepBest(state, v, state.elapsed);
  state.history.push(record);
  return record;
}

/** A dev evaluation: its selection score, whether it chose a new best/, and where in the run it was taken. */
interface Scored {
  score: number;
  improved: boolean;
  chosen: ChosenAt;
}

/**
 * Scores dev in the epoch under way (with the weight average when `ema` is on), and keeps the model as
 * best/ when it is better than the best so far (select.ts); `sentences`: how far into the epoch (undefined:
 * its end). Called in eval mode.
 */
async function validate(run: Run, sentences?: number): Promise<Scored> {
  const { task, state, config } = run;
  const epoch = state.epoch + 1;
  assertFiniteWeights(run, `epoch ${epoch}`);
  const scoreAndKeep = async (): Promise<Scored> => {
    const dev = noGrad(() => task.evaluateDev());
    const score = selectionScore(dev, config.select);
    const improved = isBetter(dev, { score: state.bestScore, dev: bestDev(state, config.select) }, config.select);
    const chosen: ChosenAt = { epoch, dev, ...(sentences !== undefined && { sentences }) };
    if (improved) await writeDirAtomic(join(run.outDir, 'best'), 'the best model', (tmp) => task.saveModel(tmp, chosen), LAST_CHECKPOINT_KEPT);
    return { score, improved, chosen };
  };
  return run.average ? run.average.with(scoreAndKeep) : scoreAndKeep();
}

/** Records a dev evaluation that chose best/ as the run's best; `secondsToBest`: the run's time then. */
function keepBest(state: RunState, v: Scored, secondsToBest: number): void {
  [state.bestScore, state.bestEpoch, state.secondsToBest, state.chosen] = [v.score, v.chosen.epoch, secondsToBest, v.chosen];
}

/** Where best/'s model was chosen; a checkpoint of an earlier entrel does not record it: the end of the best epoch chose then. */
function bestChosen(state: RunState): ChosenAt | undefined {
  if (state.chosen) return state.chosen;
  const best = state.history.find((h) => h.epoch === state.bestEpoch);
  return best && { epoch: best.epoch, dev: best.dev };
}

/**
 * best/'s dev scores, for the tie-break. A checkpoint of an earlier entrel (no `chosen`) gives the best
 * epoch's end, which with validateEvery may not be where best/ was chosen: taken only when its score is the best.
 */
function bestDev(state: RunState, select: TrainConfig['select']): DevScores | undefined {
  const dev = bestChosen(state)?.dev;
  return dev && (state.chosen !== undefined || selectionScore(dev, select) === state.bestScore) ? dev : undefined;
}

/**
 * A finite loss can still leave weights that are not (an infinite gradient clipped to 0·∞): scored, they
 * find nothing, so they would be kept as a model and checkpointed for a resume.
 */
function assertFiniteWeights(run: Run, when: string): void {
  const broken = nonFiniteParameter(run.task.params);
  if (broken !== undefined) throw diverged(`finite, but ${quote(broken)} holds NaN or infinite values`, when, run.state.epoch, run.outDir, run.config);
}

/**
 * Ends the run when a stop was requested (TrainOptions.stopRequested), keeping the last checkpoint. Yields
 * to the event loop first, so that a signal's handler has run.
 */
async function checkStopRequested(run: Run, when: string): Promise<void> {
  if (!run.opts.stopRequested) return;
  await new Promise((resolve) => setImmediate(resolve));
  const signal = run.opts.stopRequested();
  if (signal) throw interrupted(signal, when, run.state.epoch, run.outDir);
}

/**
 * A run whose selection score was 0 in every dev evaluation kept a model that finds no relation right (or
 * nothing), which the summary's scores show but do not explain: said to onWarning and in the log.
 */
function warnScoredZero(run: Run): void {
  const { state, config, outDir } = run;
  const text = zeroScoreWarning(bestChosen(state)?.dev ?? { entF1: 0, relF1: 0 }, state.bestEpoch, config.select);
  warnAbout(run.opts.onWarning ?? emitWarning, outDir, text);
  run.log.write({ type: 'warning', message: text });
}

/**
 * The run's state, random generator and log: from last/'s checkpoint when resuming it (refused if the
 * settings or the data changed since: checked on its state.json before its weights are read), else fresh,
 * seeded by the config.
 */
function startOrResume(task: TrainTask, config: TrainConfig, outDir: string, kind: string, opt: Optimizer, opts: TrainOptions): { state: RunState; rng: TrainRng; log: TrainLog } {
  const lastDir = join(outDir, 'last');
  const logFile = join(outDir, 'train.log.jsonl');
  if (opts.resume === true && hasCheckpoint(lastDir)) {
    const state = readCheckpointState(lastDir, kind);
    const moved = checkResume(state, config, task.data, lastDir);
    const ck = restoreCheckpoint(lastDir, task.params, state);
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

async function checkpoint(dir: string, params: NamedParameters, opt: OptimizerState, state: RunState, rng: TrainRng, log: TrainLog): Promise<void> {
  state.rng = rng.getState();
  state.torchRng = Buffer.from(getRngState()).toString('base64');
  state.logOffset = log.offset;
  await saveCheckpoint(dir, params, opt, state);
}

function summary(r: EpochRecord): string {
  const loss = Object.entries(r.loss).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ');
  return `epoch ${r.epoch} ${loss} dev ent_f1=${r.dev.entF1.toFixed(4)} rel_f1=${r.dev.relF1.toFixed(4)}${r.best ? ' *' : ''}${r.lrScale !== undefined && r.lrScale < 1 ? ` lr×${+r.lrScale.toPrecision(3)}` : ''} ${r.sentencesPerSecond.toFixed(0)} sent/s ${r.seconds.toFixed(1)}+${r.evalSeconds.toFixed(1)} s`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
