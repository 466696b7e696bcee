/**
 * Several outputs of one command into one directory, all or none (`entrel split`: train, dev, test and
 * split.json). They are written into a staging directory inside it, then moved into place in one
 * synchronous step, which a Ctrl-C (handled between event-loop turns) cannot cut in two. So a failure or
 * an interrupt leaves the earlier outputs as they were, never some new parts beside old ones.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, fsReason } from '../errors.js';
import { writeError } from './atomic.js';
import { makeDirs } from './dirs.js';
import { alive, pidAfter, removeAbandoned, WRITER, writerPid } from './abandoned.js';
import { removedOnInterrupt } from './write.js';

const PREFIX = '.entrel-staging-';

/**
 * Runs `fill(staging)`, which writes the outputs into `staging` under their final names, then moves each
 * into `dir` (a directory output replaces the one there) and removes `obsolete`: names in `dir` that an
 * earlier run wrote and this one does not.
 */
export async function writeTogether(dir: string, fill: (staging: string) => Promise<void>, obsolete: readonly string[] = []): Promise<void> {
  try {
    makeDirs(dir);
  } catch (e) {
    throw new UserError(`cannot create directory: ${fsReason(e) ?? e}`, { file: dir });
  }
  removeAbandoned(dir, pidAfter(PREFIX));
  recoverStepAside(dir);
  const staging = join(dir, `${PREFIX}${WRITER}`);
  const done = removedOnInterrupt(staging);
  try {
    rmSync(staging, { recursive: true, force: true }); // a killed run's, whose pid this process now has
    makeDirs(staging);
    await fill(staging);
    const names = readdirSync(staging);
    for (const name of names) refuseKindChange(join(staging, name), join(dir, name));
    for (const name of names) moveInto(join(staging, name), join(dir, name));
    for (const name of obsolete) if (!names.includes(name)) rmSync(join(dir, name), { recursive: true, force: true });
  } catch (e) {
    // The writers name the staging directory; the user knows the outputs by their place in `dir`.
    if (e instanceof UserError) throw new UserError(e.message.split(staging).join(dir));
    throw writeError('the outputs', dir, e);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    done();
  }
}

/** A file output where a directory is (or the reverse) would fail half-way through the moves: refused before the first. */
function refuseKindChange(from: string, to: string): void {
  if (!existsSync(to) || statSync(from).isDirectory() === statSync(to).isDirectory()) return;
  throw new UserError(`cannot write: a ${statSync(to).isDirectory() ? 'directory' : 'file'} is in the way`, { file: to });
}

/**
 * A `NAME.old-<writer>` a killed writer left (`moveInto`, killed between its two renames or before the
 * removal): where NAME is back in place it is the earlier version, removed (tidying only: a failure is
 * left for a later run); where NAME is missing it is the only version there is, put back. One of this
 * very pid is a dead process's too (a container's pid 1 again): `moveInto` never leaves one behind alive.
 */
function recoverStepAside(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^(.+)\.old-(\d+@[0-9a-f]{8})$/.exec(name); // a pid alone may be a year of the user's (`model.old-2024`)
    const pid = m ? writerPid(m[2]) : undefined;
    if (!m || pid === undefined || (pid !== process.pid && alive(pid))) continue;
    const [aside, back] = [join(dir, name), join(dir, m[1])];
    if (existsSync(back)) {
      try {
        rmSync(aside, { recursive: true, force: true });
      } catch {
        // another user's leftover in a shared directory: not ours to remove, and in nobody's way
      }
    } else {
      try {
        renameSync(aside, back);
      } catch (e) {
        throw new UserError(`cannot put back the earlier ${m[1]} a stopped run left aside: ${fsReason(e) ?? e}`, { file: aside });
      }
    }
  }
}

function moveInto(from: string, to: string): void {
  if (!statSync(from).isDirectory() || !existsSync(to)) return renameSync(from, to);
  // Linux renames a directory only over an empty one: the old one steps aside first.
  const old = `${to}.old-${WRITER}`;
  renameSync(to, old);
  renameSync(from, to);
  rmSync(old, { recursive: true, force: true });
}
