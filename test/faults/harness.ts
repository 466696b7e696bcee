/**
 * Running `entrel train` as a real child process and killing it: the pieces the training fault tests
 * share. A scenario is just the CLI arguments for an output directory, so a new kind of run (NN, MRT, …)
 * is one more entry in a list.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(import.meta.dirname, 'cli.ts');
export const TINY_CONFIG = join(ROOT, 'test', 'train', 'fixtures', 'tiny.json');

export interface Scenario {
  name: string;
  /** `entrel` arguments (without --resume) writing the run into `out`. */
  args(out: string): string[];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** When to kill: once the log shows `epoch` finished epochs, plus `extraMs` (a point inside the next one). */
export interface KillPlan {
  out: string;
  epoch: number;
  extraMs: number;
}

/** Runs the CLI from the sources; with a plan, sends it SIGKILL (kill -9) at the planned moment. */
export function cli(args: string[], kill?: KillPlan): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let timer: NodeJS.Timeout | undefined;
  // Polls the log rather than counting wall-clock time from the spawn: start-up takes 0.5–2 s depending
  // on the machine's load, an epoch of the tiny run 40–100 ms, so only progress makes kills land in training.
  const watch = (plan: KillPlan) => {
    if ((loggedEpochs(plan.out).at(-1) ?? 0) >= plan.epoch) timer = setTimeout(() => child.kill('SIGKILL'), plan.extraMs);
    else timer = setTimeout(() => watch(plan), 5);
  };
  if (kill) watch(kill);
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    }),
  );
}

/** mulberry32: the seeded source of kill moments. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills the file system of `dir` to the last byte, then frees `leave` bytes; returns the filler to delete. */
export function fill(dir: string, leave: number): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leave));
  closeSync(fd);
  return path;
}

/** Epochs the `last/` checkpoint holds (0 when there is none yet). */
export function checkpointEpoch(out: string): number {
  const state = join(out, 'last', 'state.json');
  return existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { epoch: number }).epoch : 0;
}

/** Epoch numbers in the training log, in order. */
export function loggedEpochs(out: string): number[] {
  const log = join(out, 'train.log.jsonl');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => { try { return JSON.parse(l) as { type: string; epoch: number }; } catch { return { type: 'partial', epoch: 0 }; } })
    .filter((r) => r.type === 'epoch')
    .map((r) => r.epoch);
}

export interface Kill {
  /** Planned moment: `extraMs` after the log showed `atEpoch` epochs. */
  atEpoch: number;
  extraMs: number;
  /** Checkpointed epochs when the kill landed, and epochs already logged (the work a kill can lose). */
  checkpoint: number;
  logged: number;
}

/** What an uninterrupted run took: its epochs and their mean duration (training + evaluation). */
export interface RunShape {
  epochs: number;
  epochMs: number;
}

/**
 * Runs the scenario into `out`, killing it with SIGKILL `kills` times at seeded moments — a random epoch
 * still to run, at a random point inside it (checkpoint writes included) — and resuming after each, then
 * resumes once more without a kill. Returns the kills that landed and the final, completed run.
 */
export async function killAndResume(s: Scenario, out: string, kills: number, seed: number, shape: RunShape): Promise<{ kills: Kill[]; final: CliResult }> {
  const rand = seeded(seed);
  const landed: Kill[] = [];
  let first = true;
  for (let k = 0; k < kills; k++) {
    const from = checkpointEpoch(out);
    // A random share of the epochs still to run, so the kills spread over the whole run.
    const epoch = from + Math.floor((rand() * (shape.epochs - from)) / (kills - k));
    const extraMs = Math.round(rand() * shape.epochMs);
    const r = await cli([...s.args(out), ...(first ? [] : ['--resume'])], { out, epoch, extraMs });
    first = false;
    if (r.signal === 'SIGKILL') landed.push({ atEpoch: epoch, extraMs, checkpoint: checkpointEpoch(out), logged: loggedEpochs(out).at(-1) ?? 0 });
    else if (r.code !== 0) throw new Error(`${s.name}: run ended with exit ${r.code}: ${r.stderr}`);
    else break; // finished before the kill: nothing left to interrupt
  }
  return { kills: landed, final: await cli([...s.args(out), '--resume']) };
}

/** The `checksum` file of a run's best/ model: sha256 of every model file. */
export const bestChecksum = (out: string) => readFileSync(join(out, 'best', 'checksum'), 'utf8');
