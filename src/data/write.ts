/** Atomic output: write to a temporary sibling, then rename over the target, so a failed run leaves no half file. */
import { realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, basename, join, sep } from 'node:path';
import { UserError, fsReason } from '../errors.js';
import { removeAbandoned, WRITER, writerPid } from './abandoned.js';
import { makeDirs } from './dirs.js';
import { sleep } from './swap-lock.js';

export type Source<T> = Iterable<T> | AsyncIterable<T>;

/** Writes every string of `pieces` (with no separator added) to `out` atomically. */
export async function writeAtomic(out: string, pieces: Source<string>): Promise<void> {
  await writeAtomicTogether([{ out, pieces }]);
}

/**
 * Several files that belong together (a data file and the types file beside it), all or none: every one
 * is written to its temporary sibling first, and only when all are complete are they renamed into place.
 * A full disk or a Ctrl-C while writing leaves every earlier file as it was.
 */
export async function writeAtomicTogether(files: readonly { out: string; pieces: Source<string> }[]): Promise<void> {
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

/** Writes `pieces` to a temporary sibling of `out` (removed on Ctrl-C), and returns it. */
async function writeTemporary(out: string, pieces: Source<string>): Promise<{ tmp: string; out: string; done: () => void }> {
  // `x/` names a directory: the rename would fail with ENOTDIR, which reads as a wrong parent.
  if (/[\\/]$/.test(out)) throw new UserError('ends in "/", which names a directory: the output is a file, give its name', { file: out });
  const dir = dirname(out);
  try {
    makeDirs(dir);
  } catch (e) {
    throw new UserError(`cannot create directory: ${fsReason(e) ?? e}`, { file: dir });
  }
  // A directory in the way would fail only at the rename, after the other files of a pair were renamed.
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new UserError('is a directory: the output is a file, give another name', { file: out });
  removeAbandoned(dir, temporaryWriter(basename(out)), writtenBeforeThisProcess);
  const tmp = join(dir, `.${basename(out)}.${WRITER}.${Date.now().toString(36)}.tmp`);
  const done = removedOnInterrupt(tmp);
  let fh;
  try {
    fh = await open(tmp, 'w');
    let buf = '';
    for await (const p of pieces) {
      buf += p;
      if (buf.length >= 1 << 20) {
        await fh.write(buf);
        buf = '';
      }
    }
    await fh.write(buf);
    await fh.close();
    return { tmp, out, done };
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    done();
    return rethrow(e, out);
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
  const o = existing(out);
  if (!o) return undefined;
  const isDir = statSync(o).isDirectory();
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
