/**
 * The `last/` checkpoint of a training run: everything needed to continue exactly where it stopped.
 *
 *   last/weights.safetensors    the parameters, by their stable names
 *   last/optimizer.safetensors  the optimiser buffers (metadata: kind, per-parameter steps)
 *   last/state.json             epochs done, best score, both RNG states, log offset, curve history
 *   last/checksum               the sha256 of the three, as a model directory's (model/io.ts)
 *
 * state.json says `"checksums": true` when the checkpoint was written with its checksum file: one without
 * the file is then refused (a deleted checksum must not turn the verification off), while a checkpoint of
 * an entrel from before checksums (no file, no mark) is read unchecked, as it always was.
 *
 * Written as one directory swap (atomic.ts), so a kill at any moment leaves a complete checkpoint. Read
 * back checked: checksums (a flipped byte would resume silently, or diverge and blame the learning rate),
 * then state.json's fields, each refused by name.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { checksumText, readChecksums, sha256 } from '../model/io.js';
import type { NamedParameters } from '../model/types.js';
import { loadSafetensors, noGrad, saveSafetensors, setRngState, type Tensor } from '../tensor/index.js';
import { recoverDir, writeDirAtomic } from '../data/atomic.js';
import { parseWith } from '../data/validate.js';
import type { OptimizerState } from './optim.js';
import { TrainRng } from './rng.js';

export const CHECKPOINT_VERSION = 1;

const FILES = ['weights.safetensors', 'optimizer.safetensors', 'state.json'] as const;

/** What an unreadable one is called in errors (model/io.ts reads and checks them as a model's files). */
const CHECKPOINT_FILE = 'checkpoint file';

/** What to do about a checkpoint that cannot be resumed from. */
const START_OVER = 'the run cannot resume from it: train again into a new --out (best/ beside it holds the best model so far)';

const COUNT = 'expected a whole number ≥ 0';
const count = () => z.number({ error: COUNT }).int({ error: COUNT }).nonnegative({ error: COUNT });
const epochNo = () => z.number({ error: 'expected an epoch number ≥ 1' }).int({ error: 'expected an epoch number ≥ 1' }).positive({ error: 'expected an epoch number ≥ 1' });
const seconds = () => z.number({ error: 'expected a number of seconds ≥ 0' }).nonnegative({ error: 'expected a number of seconds ≥ 0' });
const F1 = 'expected a number in [0, 1]';
const DevSchema = z.object({ entF1: z.number({ error: F1 }).min(0, { error: F1 }).max(1, { error: F1 }), relF1: z.number({ error: F1 }).min(0, { error: F1 }).max(1, { error: F1 }) });

const EpochSchema = z.object({
  type: z.literal('epoch'),
  epoch: epochNo(),
  loss: z.record(z.string(), z.number()),
  dev: DevSchema,
  best: z.boolean(),
  seconds: seconds(),
  evalSeconds: seconds(),
  sentencesPerSecond: z.number().nonnegative(),
  pairsPerBatch: z.number().nonnegative(),
  lrScale: z.number().positive().max(1).optional(),
});

const INT32 = 'expected a 32-bit integer';
const RunStateSchema = z
  .object({
    version: z.literal(CHECKPOINT_VERSION),
    /** 'nn' or 'mrt': a checkpoint only resumes the kind of run that wrote it. */
    kind: z.string(),
    /** Epochs completed. */
    epoch: count(),
    /** Best dev score (`select`) so far; −1 before the first epoch, so the first epoch always writes best/. */
    bestScore: z.number({ error: 'expected a number in [-1, 1]' }).min(-1, { error: 'expected a number in [-1, 1]' }).max(1, { error: 'expected a number in [-1, 1]' }),
    /** 1-based epoch of the best dev score (0 = none yet). */
    bestEpoch: count(),
    /** Where best/'s model was chosen and its dev scores (absent in checkpoints of earlier versions). */
    chosen: z.object({ epoch: epochNo(), sentences: count().optional(), dev: DevSchema }).optional(),
    /** pure-rand state of the trainer's stream (xoroshiro128+: four 32-bit integers). */
    rng: z.array(z.number({ error: INT32 }).int({ error: INT32 }).min(-(2 ** 31), { error: INT32 }).max(2 ** 31 - 1, { error: INT32 })).length(4, { error: 'expected 4 numbers' }),
    /** libtorch generator state, base64. */
    torchRng: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'expected base64 text' }),
    /** Byte length of train.log.jsonl at this checkpoint. */
    logOffset: count(),
    /** Wall-clock seconds of training and evaluation so far (across resumes). */
    elapsed: seconds(),
    /** `elapsed` at the end of the best epoch. */
    secondsToBest: seconds(),
    /** Set when the run ended (epoch budget or early stopping); a resume with a larger budget goes on. */
    finished: z.boolean(),
    history: z.array(EpochSchema),
    /** The run's configuration; a resume must use the same (budget aside): loop.ts compares them. */
    config: z.record(z.string(), z.unknown()),
    /** Digests of the data trained on, by config key (TrainTask.data; absent in checkpoints of earlier versions). */
    data: z.record(z.string(), z.string()).optional(),
    /** Written with a `checksum` file (saveCheckpoint sets it; absent in checkpoints of earlier versions, which may have none). */
    checksums: z.literal(true, { error: 'expected true (the checkpoint has a checksum file)' }).optional(),
  })
  // Each epoch appends its record: a history that does not count the epochs is not this run's.
  .refine((s) => s.history.length === s.epoch && s.history.every((h, i) => h.epoch === i + 1), { error: 'does not hold one record for each epoch done', path: ['history'] })
  .refine((s) => s.bestEpoch <= s.epoch, { error: 'is after the last epoch done', path: ['bestEpoch'] });

export type RunState = z.infer<typeof RunStateSchema>;

export async function saveCheckpoint(dir: string, params: NamedParameters, opt: OptimizerState, state: RunState): Promise<void> {
  await writeDirAtomic(dir, 'the checkpoint', (tmp) => {
    saveSafetensors(join(tmp, 'weights.safetensors'), Object.fromEntries(params));
    saveSafetensors(join(tmp, 'optimizer.safetensors'), opt.tensors, opt.meta);
    writeFileSync(join(tmp, 'state.json'), JSON.stringify({ ...state, checksums: true } satisfies RunState, null, 1) + '\n');
    writeFileSync(join(tmp, 'checksum'), checksumText(tmp, FILES));
  }, LAST_CHECKPOINT_KEPT);
}

/** What a failed checkpoint or best-model write leaves: the run can resume from the previous one. */
export const LAST_CHECKPOINT_KEPT = 'the last complete checkpoint is kept';

export function hasCheckpoint(dir: string): boolean {
  recoverDir(dir, 'the checkpoint');
  return existsSync(join(dir, 'state.json'));
}

/**
 * A checkpoint's run state, its files verified against their checksums and state.json's fields checked,
 * without touching its weights: a resume compares the run's settings and data with it first (resume.ts),
 * so that a change is named as such rather than as a weight of another shape.
 */
export function readCheckpointState(dir: string, kind: string): RunState {
  recoverDir(dir, 'the checkpoint');
  verifyChecksums(dir);
  const file = join(dir, 'state.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read the checkpoint: ${(e as Error).message}`, { file });
  }
  const head = (raw ?? {}) as { version?: unknown; kind?: unknown };
  if (head.version !== CHECKPOINT_VERSION)
    throw new UserError(`checkpoint version ${JSON.stringify(head.version)}, this entrel reads version ${CHECKPOINT_VERSION}`, { file });
  if (head.kind !== kind) throw new UserError(`this is a checkpoint of a ${String(head.kind)} run, not of a ${kind} run`, { file });
  return parseWith(RunStateSchema, raw, { file });
}

/**
 * Copies the checkpoint's weights into `params` and restores libtorch's generator from `state` (read by
 * readCheckpointState); returns the optimiser state and the trainer's random stream.
 */
export function restoreCheckpoint(dir: string, params: NamedParameters, state: RunState): { opt: OptimizerState; rng: TrainRng } {
  try {
    setRngState(new Uint8Array(Buffer.from(state.torchRng, 'base64')));
  } catch (e) {
    throw new UserError(`not a state of libtorch's generator (${(e as Error).message.split('\n')[0]}): ${START_OVER}`, { file: join(dir, 'state.json'), field: 'torchRng' });
  }
  const weights = loadSafetensors(join(dir, 'weights.safetensors')).tensors;
  copyInto(params, weights, join(dir, 'weights.safetensors'));
  const o = loadSafetensors(join(dir, 'optimizer.safetensors'));
  return { opt: { tensors: o.tensors, meta: o.metadata }, rng: TrainRng.fromState(state.rng) };
}

/**
 * Checks the checkpoint's files against its `checksum` file. A checkpoint of an entrel from before
 * checksums has none, and is read unchecked: its run could not resume otherwise. One whose state.json
 * says it was written with one (`checksums`) and has none is refused: its files cannot be verified.
 */
function verifyChecksums(dir: string): void {
  const sumPath = join(dir, 'checksum');
  if (!existsSync(sumPath)) {
    if (writtenWithChecksums(join(dir, 'state.json')))
      throw new UserError(`missing: the checkpoint was written with this file (its state.json says "checksums": true), so its files cannot be verified and ${START_OVER}`, { file: sumPath });
    return;
  }
  const listed = readChecksums(sumPath, CHECKPOINT_FILE);
  for (const f of FILES) {
    const want = listed.get(f);
    if (!want) throw new UserError(`no checksum of ${f}: the checksum file is damaged, so ${START_OVER}`, { file: sumPath });
    if (!existsSync(join(dir, f))) throw new UserError(`missing: the checkpoint is incomplete, so ${START_OVER}`, { file: join(dir, f) });
    if (sha256(join(dir, f), CHECKPOINT_FILE) !== want)
      throw new UserError(`checksum mismatch: the file was modified or corrupted after the checkpoint was written, so ${START_OVER}`, { file: join(dir, f) });
  }
}

/** Whether a checkpoint's state.json says it was written with a checksum file (unreadable JSON: loadCheckpoint's error, after this). */
function writtenWithChecksums(stateFile: string): boolean {
  try {
    const raw: unknown = JSON.parse(readFileSync(stateFile, 'utf8'));
    return typeof raw === 'object' && raw !== null && (raw as { checksums?: unknown }).checksums === true;
  } catch {
    return false;
  }
}

/** Copies tensors into same-named parameters, refusing any missing name or shape mismatch. */
export function copyInto(params: NamedParameters, src: Record<string, Tensor>, file: string): void {
  for (const [name, p] of params) {
    const t = src[name];
    if (!t) throw new UserError(`parameter ${name} is missing (was the data or the config changed?)`, { file });
    if (t.shape.join() !== p.shape.join())
      throw new UserError(
        `parameter ${name} has shape [${t.shape}] but the model needs [${p.shape}] (was the data or the config changed?)`,
        { file },
      );
  }
  noGrad(() => {
    for (const [name, p] of params) p.copy_(src[name]);
  });
}
