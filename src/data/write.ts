/**
 * Output files: written to a temporary sibling, then renamed over the target, so a failed run leaves no half
 * file. Standard output (`-`), a device or a pipe is written in place instead (output-target.ts).
 */
import { realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, basename, join, sep } from 'node:path';
import { UserError, fsReason } from '../errors.js';
import { removeAbandoned, WRITER, writerPid } from './abandoned.js';
import type { Diagnostics } from './diagnostics.js';
import { makeDirs } from './dirs.js';
import { outputTarget } from './output-target.js';
import { writeInPlace } from './write-in-place.js';
import { sleep } from './swap-lock.js';

export type Source<T> = Iterable<T> | AsyncIterable<T>;

/** Writes every string of `pieces` (with no separator added) to `out`: atomically where it is a file. */
export async function writeAtomic(out: string, pieces: Source<string>): Promise<void> {
  await writeAtomicTogether([{ out, pieces }], () => undefined);
}

/**
 * Several files that belong together, all or none: `files[0]` the output, the rest its companions (the
 * types file beside a data file). Every one is written to its temporary sibling first, and only when all are
 * complete are they renamed into place: a full disk or a Ctrl-C while writing leaves every earlier file as
 * it was. An output that is no file (standard output, a device, a pipe) is written in place, and its
 * companions, which have no place beside it, are not: `companionSkipped` is told each, to say so.
 */
export async function writeAtomicTogether(
  files: readonly { out: string; pieces: Source<string> }[],
  companionSkipped: (file: string) => void,
): Promise<void> {
  const [first, ...companions] = files;
  if (first === undefined) return;
  const target = outputTarget(first.out);
  if (target.kind !== 'file') {
    for (const c of companions) companionSkipped(c.out);
    try {
      return await writeInPlace(target, gathered(first.pieces));
    } catch (e) {
      return rethrow(e, first.out);
    }
  }
  const staged: { tmp: string; out: string; done: () => void }[] = [];
  try {
    for (const { out, pieces } of files) staged.push(await writeTemporary(out, pieces));
    // One synchronous step, which a Ctrl-C (handled between event-loop turns) cannot cut in two.
    for (const { tmp, out } of staged) {
      try {
        renameSync(tmp, out);
      } catch (e) {
        rethrow(e, out);
      }
    }
  } finally {
    for (const { tmp, done } of staged) {
      await rm(tmp, { force: true });
      done();
    }
  }
}

/** writeAtomicTogether's `companionSkipped` that counts each companion not written (`what`: "the types file"), as the writers count what they lose. */
export function countSkippedCompanion(diagnostics: Diagnostics | undefined, what: string): (file: string) => void {
  return () => diagnostics?.warn('companion-file-not-written', `${what} is not written: the output is standard output, a device or a pipe, with no directory beside it`);
}

/** Pieces gathered into writes of about this many characters. */
const WRITE_SIZE = 1 << 20;

/** `pieces` joined into strings of WRITE_SIZE characters or more (the last one shorter). */
async function* gathered(pieces: Source<string>): AsyncGenerator<string> {
  let buf = '';
  for await (const p of pieces) {
    buf += p;
    if (buf.length >= WRITE_SIZE) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}

/**
 * Writes `pieces` to a temporary sibling of `out` (removed on Ctrl-C), and returns it with the path to rename
 * it to: `out`, or the file its symbolic links lead to (the link stays, its target is replaced).
 */
async function writeTemporary(given: string, pieces: Source<string>): Promise<{ tmp: string; out: string; done: () => void }> {
  // `x/` names a directory: the rename would fail with ENOTDIR, which reads as a wrong parent.
  if (/[\\/]$/.test(given)) throw new UserError('ends in "/", which names a directory: the output is a file, give its name', { file: given });
  const target = outputTarget(given);
  // A companion (a types file) beside a file output may itself be a device or a pipe: refused, not replaced.
  if (target.kind !== 'file') throw new UserError('cannot write: not a regular file (it is written beside the output, which must be a file)', { file: given });
  const out = target.path;
  const dir = dirname(out);
  try {
    makeDirs(dir);
  } catch (e) {
    throw new UserError(`cannot create directory: ${fsReason(e) ?? e}`, { file: dir });
  }
  // A directory in the way would fail only at the rename, after the other files of a pair were renamed.
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new UserError('is a directory: the output is a file, give another name', { file: given });
  removeAbandoned(dir, temporaryWriter(basename(out)), writtenBeforeThisProcess);
  const tmp = join(dir, `.${basename(out)}.${WRITER}.${Date.now().toString(36)}.tmp`);
  const done = removedOnInterrupt(tmp);
  let fh;
  try {
    fh = await open(tmp, 'w');
    // writeFile, not write: one write(2) may take only part of a chunk (a nearly full disk), and the rest
    // would be lost without an error.
    for await (const chunk of gathered(pieces)) await fh.writeFile(chunk);
    await fh.close();
    return { tmp, out, done };
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    done();
    return rethrow(e, given);
  }
}

/** The pid in a temporary name of `name` (`.name.<pid>.<time>.tmp`, written by writeTemporary), undefined for any other name. */
function temporaryWriter(name: string): (f: string) => number | undefined {
  const prefix = `.${name}.`;
  return (f) => (f.startsWith(prefix) && f.endsWith('.tmp') ? writerPid(f.slice(prefix.length).split('.')[0]) : undefined);
}

/** Whether a temporary name (`.name.<pid>.<time>.tmp`) was stamped before this process started: an earlier process's. */
function writtenBeforeThisProcess(f: string): boolean {
  const time = parseInt(f.slice(0, -'.tmp'.length).split('.').at(-1) ?? '', 36);
  return time < Math.floor(performance.timeOrigin);
}

/** A file-system failure as a UserError naming `out`; anything else as it is. */
function rethrow(e: unknown, out: string): never {
  if (e instanceof UserError) throw e;
  const reason = fsReason(e);
  throw reason ? new UserError(`cannot write: ${reason}`, { file: out }) : e;
}

/** Temporary files and directories of the writes in flight, for `abandonPartialOutputs`. */
const partial = new Set<string>();

/** Marks a temporary file or directory to be removed if the process is interrupted; call the result once it is gone or in place. */
export function removedOnInterrupt(tmp: string): () => void {
  partial.add(tmp);
  return () => partial.delete(tmp);
}

/**
 * Removes the temporary files and directories of the writes in flight, synchronously: the process is about
 * to end (Ctrl-C). Returns those it could not remove, each with why, and never throws: the caller must still
 * say it was interrupted and exit. A writer's open still in flight can add a file to a staging directory
 * while it is being removed (ENOTEMPTY), so a removal is tried again; what is left carries this process's pid in
 * its name, and the next run writing the same output removes it (data/abandoned.ts).
 */
export function abandonPartialOutputs(): string[] {
  const left: string[] = [];
  for (const tmp of partial) {
    try {
      removeAgainAndAgain(tmp);
    } catch (e) {
      left.push(`${tmp} (${(e as Error).message})`);
    }
  }
  partial.clear();
  return left;
}

/**
 * A whole recursive removal, again after 20, 40… ms while it fails: rmSync's own retries repeat only the
 * last rmdir, not the children, so a file an open in flight created meanwhile stayed (ENOTEMPTY 5 times in
 * 300 ms). No new write starts while this blocks the thread, so the ones in flight end within a retry.
 */
function removeAgainAndAgain(path: string, tries = 5): void {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(path, { recursive: true, force: true });
      return;
    } catch (e) {
      if (attempt === tries) throw e;
      sleep(20 * attempt);
    }
  }
}

/**
 * Refuses to start a write that would destroy one of the command's inputs: an output that is an input
 * (`predict --data x.jsonl --out x.jsonl`, or the types file a jsonl writer puts beside its output being
 * the one the input came with), or an input inside an output directory (brat output fills or replaces it).
 * Both are compared after resolving symbolic links; paths that do not exist yet cannot collide.
 */
export function refuseOverwritingInputs(outputs: readonly string[], inputs: readonly (string | undefined)[]): void {
  for (const out of outputs) {
    const hit = inputAt(out, inputs);
    if (hit) throw new UserError(`the output ${hit.what} the input ${hit.input}; choose another output path`, { file: out });
  }
}

/** The input that writing or replacing `out` would destroy: `out` itself, or one inside it. */
export function inputAt(out: string, inputs: readonly (string | undefined)[]): { input: string; what: 'is' | 'contains' } | undefined {
  if (out === '-') return undefined; // standard output
  const o = existing(out);
  // A pipe's real path (`/proc/N/fd/pipe:[…]`, behind /dev/stdout) is a name, not a file to stat.
  const st = o === undefined ? undefined : statSync(o, { throwIfNoEntry: false });
  if (!o || !st) return undefined;
  const isDir = st.isDirectory();
  for (const input of inputs) {
    const i = input === undefined ? undefined : existing(input);
    if (i && (i === o || (isDir && i.startsWith(o + sep)))) return { input: input!, what: i === o ? 'is' : 'contains' };
  }
  return undefined;
}

function existing(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
