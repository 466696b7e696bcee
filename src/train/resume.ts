/**
 * What a run directory and a resume are checked for before training touches them: an --out that a new run
 * would damage (checkRunDir), and a checkpoint whose run is not the one asked for (checkResume): other
 * settings than the epoch budget and threads, or data, an --init model or word vectors that changed since.
 * The checks read only the checkpoint's state.json, and run before its weights are loaded: a change that
 * brought a new word changes the model's shape too, and would otherwise be reported as a weight's shape.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { counted, quote, UserError } from '../errors.js';
import { hasCheckpoint, type RunState } from './checkpoint.js';
import { TrainConfigSchema, type TrainConfig } from './config-schema.js';
import { readLogRecords } from './log.js';

/**
 * Refuses an output directory that a new run would damage: one holding a run (without --resume), or a
 * `last/` that is not a checkpoint.
 */
export function checkRunDir(outDir: string, resume: boolean | undefined): void {
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

/** A setting that differs between the checkpoint's config and the run's: its dotted key, its value then, its value now. */
export type Difference = [key: string, was: unknown, is: unknown];

type Digests = Readonly<Record<string, string>> | undefined;

/**
 * Refuses to resume the checkpoint in `dir` (its `state`) with other settings (`config`) or other data
 * (`data`: TrainTask.data) than its run's. Then updates `state` for the run that goes on: the digests an
 * earlier entrel did not record, and the paths of moved settings. Returns those moved path settings (the
 * same content at another path: PATH_SETTINGS).
 */
export function checkResume(state: RunState, config: TrainConfig, data: Digests, dir: string): Difference[] {
  const moved = checkSameRun(state.config, config, dir, { saved: state.data, now: data });
  checkSameData(state.data, data, dir, config);
  // Digests an earlier entrel did not record: those of what the run goes on with, for the next resume.
  if (data) state.data = { ...data, ...state.data };
  // The next checkpoint records the paths the run goes on with: a resume from here compares with them.
  for (const [key, , path] of moved) setSetting(state.config, key, path);
  return moved;
}

/** Settings a resumed run may change: the budget and the thread count; anything else is another run. */
const RESUMABLE_CHANGES = new Set(['epochs', 'patience', 'threads']);

/**
 * Settings that name files or directories (absolute once read: config.ts). A checkout moved or renamed
 * since the checkpoint changes them all: such a setting may name another path when what is there has the
 * digest the checkpoint recorded of what it named (TrainTask.data, by the same key); otherwise, or without
 * a recorded digest, it is a changed setting like any other.
 */
const PATH_SETTINGS = new Set(['data.train', 'data.dev', 'data.test', 'data.types', 'init', 'embeddings']);

/**
 * Refuses a resume whose settings differ from the checkpoint's (budget and threads aside); returns the path
 * settings that name other paths holding the same content (PATH_SETTINGS).
 */
function checkSameRun(savedRaw: Record<string, unknown>, now: TrainConfig, dir: string, digests: { saved: Digests; now: Digests }): Difference[] {
  // A checkpoint written before a setting existed holds that setting's default (schema defaults fill it).
  const parsed = TrainConfigSchema.safeParse(savedRaw);
  const saved: Record<string, unknown> = parsed.success ? parsed.data : savedRaw;
  const all = [...new Set([...Object.keys(saved), ...Object.keys(now)])]
    .filter((key) => !RESUMABLE_CHANGES.has(key))
    .flatMap((key) => differences(saved[key], now[key as keyof TrainConfig], key));
  const sameContent = ([key]: Difference) => {
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
  // A key removed (`--set data.types=null`), or absent from an earlier entrel's checkpoint, is "none".
  const shown = (v: unknown) => (v === undefined ? 'none' : quote(v, 200));
  throw new UserError(`cannot resume with a different "${key}" (${shown(was)} in the checkpoint, ${shown(is)} now)${more}; only epochs, patience and threads may change${asItWas}`, { file: dir });
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
    if (key === 'data.types' && config.data.types !== undefined)
      throw changed(config.data.types, 'other types or symmetric flags than the run read its data with', 'restore it to resume, or train with it into a new --out');
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
function differences(a: unknown, b: unknown, path: string): Difference[] {
  const block = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (block(a) && block(b)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differences(a[k], b[k], `${path}.${k}`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [[path, a, b]];
}
