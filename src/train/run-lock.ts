/**
 * One training process per run directory: two resuming one run (a rerun while the first still runs, a
 * study started twice) would both append to its log and race on its checkpoints. The lock is
 * `.entrel-run-lock` in the run directory, created exclusively and holding the owner's pid, a random token
 * and its host (the swap lock's file format, data/swap-lock.ts). A lock whose process is gone (killed) is
 * taken over; one held by a process of another host, whose pid cannot be checked here, is refused with
 * what to do.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { alive } from '../data/abandoned.js';
import { contentOf, takeOver, tryCreate } from '../data/swap-lock.js';
import { UserError } from '../errors.js';

export const RUN_LOCK = '.entrel-run-lock';

/** A lock file still empty this long after it was made: its owner died between creating and writing it. */
const EMPTY_STALE_MS = 2_000;

/** The run directories this process trains in now (a lock naming this pid is held, not stale). */
const held = new Set<string>();

/** Locks `outDir` for this process's run; the function returned frees it. */
export function lockRun(outDir: string): () => void {
  const lock = join(outDir, RUN_LOCK);
  const dir = resolve(outDir);
  const mine = `${process.pid}:${randomBytes(8).toString('hex')}:${hostname()}`;
  const deadline = Date.now() + 10 * EMPTY_STALE_MS;
  while (!tryCreate(lock, mine)) {
    const content = contentOf(lock);
    if (content === undefined) continue; // freed meanwhile
    if (Date.now() > deadline)
      throw new UserError(`its lock ${lock} could not be taken (${lock}.takeover left by a killed process?): if no entrel process runs, remove both files`, { file: outDir });
    if (content === '' && !olderThan(lock, EMPTY_STALE_MS)) continue; // being written
    const [pidText, , ...rest] = content.split(':');
    const pid = Number(pidText);
    const host = rest.join(':');
    if (host !== '' && host !== hostname())
      throw new UserError(`is being trained by process ${pid} on host ${host} (or was, until it was killed): if no training runs there, remove ${lock}`, { file: outDir });
    const gone = !Number.isInteger(pid) || pid <= 0 || (pid === process.pid ? !held.has(dir) : !alive(pid));
    if (!gone) throw new UserError(`is being trained by process ${pid}: wait for it to end or stop it; a second run here would interleave their logs and checkpoints`, { file: outDir });
    takeOver(lock, content);
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

function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false; // vanished: the next round finds out
  }
}
