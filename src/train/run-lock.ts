/**
 * One training process per run directory: two resuming one run (a rerun while the first still runs, a
 * study started twice) would both append to its log and race on its checkpoints. The lock is
 * `.entrel-run-lock` in the run directory, created exclusively and holding the owner's pid, a random token
 * and its host (the swap lock's file format, data/swap-lock.ts). A lock whose process is gone (killed) is
 * taken over; one held by a process of another host, whose pid cannot be checked here, is refused with
 * what to do.
 */
import { rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { alive } from '../data/abandoned.js';
import { writeError } from '../data/atomic.js';
import { contentOf, lockHolder, ownLockContent, sleep, takeOver, tryCreate } from '../data/swap-lock.js';
import { UserError } from '../errors.js';

export const RUN_LOCK = '.entrel-run-lock';

/** A lock (or takeover guard) file still there this long: its owner died while making or taking it. */
const STALE_MS = 2_000;
const RETRY_MS = 20;

/** The run directories this process trains in now (a lock naming this pid is held, not stale). */
const held = new Set<string>();

/**
 * Refuses `outDir` when another process trains in it now, without taking its lock: what a run checks
 * before reading any data (loop.ts checkRunStart), so that it is told at once.
 */
export function checkRunLock(outDir: string): void {
  const content = contentOf(join(outDir, RUN_LOCK));
  if (content) refuseIfHeld(outDir, content);
}

/** Locks `outDir` for this process's run; the function returned frees it. */
export function lockRun(outDir: string): () => void {
  const lock = join(outDir, RUN_LOCK);
  const dir = resolve(outDir);
  const mine = ownLockContent();
  while (!create(lock, mine)) {
    const content = contentOf(lock);
    if (content === undefined) continue; // freed meanwhile
    if (content === '' && !olderThan(lock, STALE_MS)) {
      sleep(RETRY_MS); // being written
      continue;
    }
    refuseIfHeld(outDir, content);
    // Stale: taken over, unless another process is taking it over now (its guard file); a guard left by a
    // process killed in those microseconds is stale itself.
    if (!takeOver(lock, content)) {
      if (olderThan(`${lock}.takeover`, STALE_MS)) rmSync(`${lock}.takeover`, { force: true });
      sleep(RETRY_MS);
    }
  }
  held.add(dir);
  return () => {
    held.delete(dir);
    try {
      if (contentOf(lock) === mine) rmSync(lock, { force: true });
    } catch {
      // Left behind, it is stale once this process ends, and the next run takes it over.
    }
  };
}

/** Throws when the lock `content` names a process that holds it (alive here, or on another host). */
function refuseIfHeld(outDir: string, content: string): void {
  const lock = join(outDir, RUN_LOCK);
  const { pid, host } = lockHolder(content);
  if (host !== undefined && host !== hostname())
    throw new UserError(`is being trained by process ${pid} on host ${host} (or was, until it was killed): if no training runs there, remove ${lock}`, { file: outDir });
  const gone = !Number.isInteger(pid) || pid <= 0 || (pid === process.pid ? !held.has(resolve(outDir)) : !alive(pid));
  if (!gone)
    throw new UserError(
      `is being trained by process ${pid}: wait for it to end or stop it (if process ${pid} is not entrel, it took the pid of a run that was killed: remove ${lock}); a second run here would interleave their logs and checkpoints`,
      { file: outDir },
    );
}

/** tryCreate, a file-system refusal (a read-only or full disk) said as one line naming the lock. */
function create(lock: string, content: string): boolean {
  try {
    return tryCreate(lock, content);
  } catch (e) {
    throw writeError('the run directory\'s lock', lock, e);
  }
}

function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false; // vanished: the next round finds out
  }
}
