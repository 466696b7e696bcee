/**
 * Serialises the directory swaps of one target across processes (data/atomic.ts). A swap is two renames
 * around a hidden old copy; a second writer (or a reader's recovery) acting between them would put the old
 * copy back or fail on it. The lock is a file `.target.entrel-lock` beside the target, created exclusively
 * and holding its owner's pid. A swap holds it for milliseconds, so waiting is a short sleep and retry; a
 * lock whose owner is gone (killed mid-swap) is taken over.
 */
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { alive } from './abandoned.js';
import { UserError } from '../errors.js';

const WAIT_MS = 30_000;
const RETRY_MS = 5;
// A lock file still empty this long after it was made: its owner died between creating and writing it.
const EMPTY_STALE_MS = 2_000;

export function lockOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.entrel-lock`);
}

/** Runs `fn` holding `target`'s swap lock; `what` names the target in the error of a lock never freed. */
export function withSwapLock<T>(target: string, what: string, fn: () => T): T {
  const lock = lockOf(target);
  acquire(lock, what);
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function acquire(lock: string, what: string): void {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (tryCreate(lock)) return;
    const owner = ownerOf(lock);
    if (owner === 'vanished') continue;
    if (owner.pid === 'gone') {
      takeOver(lock, owner.ino);
      continue;
    }
    if (Date.now() > deadline)
      throw new UserError(
        `cannot write ${what}: another process (pid ${owner.pid}) has been replacing it for ${WAIT_MS / 1000} s; if no entrel process is running, remove ${lock}`,
        { file: lock },
      );
    sleep(RETRY_MS);
  }
}

/**
 * Removes a dead owner's lock: renamed aside first, and removed only if it is the very file (inode) found
 * stale. Two waiters may find the same stale lock; the slower one would otherwise remove the lock the
 * faster one had just made. If that happened, the fresh lock is linked back (link never overwrites).
 */
function takeOver(lock: string, ino: number): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // another waiter moved it first
  }
  if (statSync(aside).ino !== ino) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third process holds the lock by now; the one moved aside was a holder's who finishes regardless
    }
  }
  rmSync(aside, { force: true });
}

function tryCreate(lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's holder (its pid, or 'gone' when it no longer runs) and the lock file's inode. */
function ownerOf(lock: string): { pid: number | 'gone'; ino: number } | 'vanished' {
  let text: string;
  let ino: number;
  let age: number;
  try {
    const fd = openSync(lock, 'r');
    try {
      const st = fstatSync(fd);
      ino = st.ino;
      age = Date.now() - st.mtimeMs;
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return 'vanished';
  }
  if (text === '') return { pid: age > EMPTY_STALE_MS ? 'gone' : 0, ino };
  const pid = Number(text);
  // This process holds no lock between swaps (they are synchronous): one naming it is an earlier process's.
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return { pid: 'gone', ino };
  return { pid, ino };
}

/** Blocks the thread for `ms` (a swap is synchronous, so the wait is too). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
