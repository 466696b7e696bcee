/**
 * Crash-safe writes. A file is written to a temporary name, fsynced and renamed over the target; a
 * directory is filled under a temporary name and swapped in with two renames (Linux cannot rename a
 * directory over a non-empty one): target → its hidden sibling `.target.entrel-old` (`oldOf`), tmp →
 * target, then the old one is removed. A crash between the two renames leaves the old one, which
 * `recoverDir` puts back. (A visible `target.old` could be a directory of the user's.) So at every instant
 * either the previous or the new version is complete on disk. Temporary names carry the writer's pid and host (data/abandoned.ts); a
 * killed writer's leftovers are removed by the next write of the same target. Swaps of one target by
 * several processes take turns (data/swap-lock.ts): the last one wins, whole.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isWithin, makeDirs } from './dirs.js';
import { followLinks, outputTarget } from './output-target.js';
import { pidAfter, removeAbandoned, WRITER } from './abandoned.js';
import { withSwapLock } from './swap-lock.js';
import { removedOnInterrupt } from './write.js';
import { UserError, formatLocated, fsReason } from '../errors.js';

/**
 * File-system failures as one-line user errors naming what could not be written; `note` says what is
 * left on disk (an atomic write leaves the previous version).
 */
export function writeError(what: string, path: string, e: unknown, note?: string): Error {
  const reason = fsReason(e);
  return reason ? new UserError(`cannot write ${what}: ${reason}${note ? `; ${note}` : ''}`, { file: path }) : (e as Error);
}

/**
 * `data` written atomically to `given`, or to the file its symbolic links lead to (the link stays); in place
 * where `given` is a device, a pipe or a descriptor (output-target.ts).
 */
export function writeFileAtomic(given: string, data: string | Uint8Array): void {
  const target = outputTarget(given);
  // A named pipe would block this synchronous write (and Ctrl-C) until a reader came.
  if (target.kind === 'pipe') throw new UserError('cannot write: a named pipe, where a whole file is written at once: give a regular file', { file: given });
  if (target.kind !== 'file') return writeInPlaceSync(target.kind === 'descriptor' ? target.fd : target.path, given, data);
  const path = target.path;
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${WRITER}`);
  try {
    removeAbandoned(dirname(path), pidAfter(`.${basename(path)}.tmp-`));
    const fd = openSync(tmp, 'w'); // truncates a leftover of an earlier process that had this pid
    try {
      writeFileSync(fd, data); // every byte: one write(2) may take only part of them (a nearly full disk)
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(basename(given), given, e, 'its previous version, if any, is unchanged');
  }
}

/** `data` appended to a descriptor of this process or to the device or pipe at `path`. */
function writeInPlaceSync(path: string | number, given: string, data: string | Uint8Array): void {
  try {
    appendFileSync(path, data);
  } catch (e) {
    throw writeError(basename(given), given, e);
  }
}

const KEPT = 'its previous version, if any, is unchanged';

/** Writes a whole directory atomically: `fill(tmpDir)` creates its content; `kept` says what a failure leaves. */
export async function writeDirAtomic(target: string, what: string, fill: (tmp: string) => Promise<void> | void, kept = KEPT): Promise<void> {
  const s = stage(target, what);
  try {
    prepare(s);
    await fill(s.tmp);
    swapIn(s, what);
  } catch (e) {
    abandon(s, what, e, kept);
  } finally {
    s.done();
  }
}

/** writeDirAtomic for a synchronous `fill` (the library's saveModelDir), in one synchronous step. */
export function writeDirAtomicSync(target: string, what: string, fill: (tmp: string) => void, kept = KEPT): void {
  const s = stage(target, what);
  try {
    prepare(s);
    fill(s.tmp);
    swapIn(s, what);
  } catch (e) {
    abandon(s, what, e, kept);
  } finally {
    s.done();
  }
}

/**
 * A failed directory write: its temporary directory removed, the failure as writeError words it. A file of
 * the temporary directory that a UserError names (`out.tmp-…/8.ann: cannot write: no space left`) is named
 * as the user knows it, inside the target, with what the failure leaves.
 */
function abandon({ tmp, given }: Staged, what: string, e: unknown, kept: string): never {
  rmSync(tmp, { recursive: true, force: true });
  const file = e instanceof UserError ? e.location.file : undefined;
  if (e instanceof UserError && file !== undefined && isWithin(resolve(file), resolve(tmp))) {
    const inside = relative(resolve(tmp), resolve(file));
    const message = e.message.slice(formatLocated('', e.location).length);
    throw new UserError(`${message}; ${kept}`, { ...e.location, file: inside === '' ? given : join(given, inside) }, e.code);
  }
  throw writeError(what, given, e, kept);
}

interface Staged {
  /** The directory swapped: the one named, or where its symbolic links lead. */
  target: string;
  /** The directory as named, for messages. */
  given: string;
  tmp: string;
  done: () => void;
}

function stage(named: string, what: string): Staged {
  if (named === '-') throw new UserError(`cannot write ${what} to standard output: it is a directory, give its path`, { file: named });
  // `out/` is the directory `out`: its siblings `out.tmp-…` and `.out.entrel-old` must not land inside it.
  const given = /.[\\/]$/.test(named) ? named.replace(/(.)[\\/]+$/, '$1') : named;
  // Swapped where a link leads: swapping the link itself would leave its old target as it was.
  const target = followLinks(given);
  // The swap would replace whatever is there: a file of the user's in the way is an error, not a casualty.
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UserError(`cannot write ${what}: a file is in the way (it must be a directory)`, { file: given });
  const tmp = `${target}.tmp-${WRITER}`;
  return { target, given, tmp, done: removedOnInterrupt(tmp) };
}

/** An empty temporary directory beside the target, after removing what killed writers left there. */
function prepare({ target, tmp }: Staged): void {
  removeAbandoned(dirname(target), pidAfter(`${basename(target)}.tmp-`));
  rmSync(tmp, { recursive: true, force: true }); // a leftover of an earlier process that had this pid
  makeDirs(tmp);
}

/**
 * The filled temporary directory in the target's place: target → oldOf(target), tmp → target, then the old
 * one removed; under the target's swap lock, as another process may be swapping it in too.
 */
function swapIn({ target, tmp }: Staged, what: string): void {
  const old = oldOf(target);
  syncDir(tmp);
  withSwapLock(target, what, () => {
    recoverUnlocked(target);
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    syncDir(dirname(target));
    rmSync(old, { recursive: true, force: true });
  });
}

/** Where a swap puts the previous version of `target` while the new one moves in: a hidden sibling. */
function oldOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.entrel-old`);
}

/**
 * Finishes a swap that a crash interrupted. Target missing but its old one (`oldOf`) there: the crash came
 * between the renames, so the old one is the complete version to put back. Both there: the swap completed
 * and only the removal of the old one was cut short (left alone, the next swap's rename would fail on it).
 * Under the swap lock: another process's swap in progress looks the same as a crash.
 */
export function recoverDir(target: string, what = 'the directory'): void {
  if (!existsSync(oldOf(target))) return;
  withSwapLock(target, what, () => recoverUnlocked(target));
}

function recoverUnlocked(target: string): void {
  const old = oldOf(target);
  if (!existsSync(old)) return;
  if (existsSync(target)) rmSync(old, { recursive: true, force: true });
  else renameSync(old, target);
}

/** fsync a directory so its entries (renames) are durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
