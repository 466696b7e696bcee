/**
 * Serialises the directory swaps of one target across processes (data/atomic.ts). A swap is two renames
 * around a hidden old copy; a second writer (or a reader's recovery) acting between them would put the old
 * copy back or fail on it. The lock is a file `.target.entrel-lock` beside the target, created exclusively
 * and holding its owner's pid, a random token and its host name. A swap holds it for milliseconds, so waiting is a short
 * sleep and retry. A lock whose owner is gone (killed mid-swap) is taken over, one waiter at a time (under
 * `.target.entrel-lock.takeover`), and only if it still holds the token found stale; a holder removes the
 * lock only while it holds its own token. (Node has no flock; this is the file-only equivalent.)
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { alive } from './abandoned.js';
import { UserError } from '../errors.js';

const WAIT_MS = 30_000;
const RETRY_MS = 5;
// A lock file still empty this long after it was made: its owner died between creating and writing it.
const EMPTY_STALE_MS = 2_000;
// A lock of another host this old: a swap (two renames and a removal) takes milliseconds.
const FOREIGN_STALE_MS = 10 * 60_000;

function lockOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.entrel-lock`);
}

/**
 * Runs `fn` holding `target`'s swap lock; `what` names the target in the error of a lock never freed
 * (after `waitMs`).
 */
export function withSwapLock<T>(target: string, what: string, fn: () => T, waitMs = WAIT_MS): T {
  const lock = lockOf(target);
  const mine = ownLockContent();
  acquire(lock, mine, what, waitMs);
  try {
    return fn();
  } finally {
    if (contentOf(lock) === mine) rmSync(lock, { force: true });
  }
}

function acquire(lock: string, mine: string, what: string, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(lock, mine)) return;
    const held = contentOf(lock);
    if (held === undefined) continue; // freed meanwhile
    const owner = ownerOf(lock, held);
    if (owner === 'gone' && takeOver(lock, held)) continue;
    if (Date.now() > deadline) {
      const wait = `${waitMs / 1000} s`;
      throw new UserError(
        owner === 'gone'
          ? `the lock of ${what} is stale, but ${lock}.takeover has been held for ${wait} (a process killed while taking the lock over?); if no entrel process is running, remove both files`
          : `another process (pid ${owner}) has been replacing ${what} for ${wait}; if no entrel process is running, remove ${lock}`,
        { file: lock },
      );
    }
    sleep(RETRY_MS);
  }
}

/**
 * Removes a dead owner's lock, if it still holds the content found stale; false when another waiter is
 * taking it over (its guard file exists). Only the guard's creator removes the guard: a guard left by a
 * process killed in these microseconds is for the user to remove (the error says so), as removing another
 * waiter's live guard would let two of them in.
 */
export function takeOver(lock: string, stale: string): boolean {
  const guard = `${lock}.takeover`;
  if (!tryCreate(guard, `${process.pid}:takeover:${hostname()}`)) return false;
  try {
    if (contentOf(lock) === stale) rmSync(lock, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
  return true;
}

/** Creates `lock` holding `content`, exclusively; false when it exists. */
export function tryCreate(lock: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } catch (e) {
    // Ours (made exclusively) but empty: left, it would block every later writer of the target.
    closeSync(fd);
    rmSync(lock, { force: true });
    throw e;
  }
  closeSync(fd);
  return true;
}

/** A lock file's content; undefined when it is gone. */
export function contentOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The holder's pid (0: not written yet), or 'gone' when it no longer runs. A holder on another machine
 * or container (a shared volume: its pids are not ours to check) counts as gone only once its lock is
 * older than any swap takes.
 */
function ownerOf(file: string, content: string): number | 'gone' {
  let age = 0;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0; // vanished: the next round finds out
  }
  if (content === '') return age > EMPTY_STALE_MS ? 'gone' : 0;
  const { pid, host } = lockHolder(content);
  if (host !== undefined && host !== hostname()) return age > FOREIGN_STALE_MS ? 'gone' : pid;
  // This process holds no lock between swaps (they are synchronous): one naming it is an earlier process's.
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return 'gone';
  return pid;
}

/** This process's content for a lock it takes: `pid:token:host`, the token telling its locks apart. */
export const ownLockContent = () => `${process.pid}:${randomBytes(8).toString('hex')}:${hostname()}`;

/** Who a lock's content names: `pid:token:host` (the host undefined in a lock of an earlier entrel). */
export function lockHolder(content: string): { pid: number; host?: string } {
  const [pidText, , ...rest] = content.split(':');
  return { pid: Number(pidText), ...(rest.length > 0 && { host: rest.join(':') }) };
}

/** Blocks the thread for `ms` (a swap is synchronous, so the wait is too). */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
