/**
 * What an output path names, before anything is written to it. An atomic write renames a temporary file over
 * its target, which is right for a file and wrong for the rest: `--out /dev/null` would replace the device
 * with a regular file (as root), a named pipe would be replaced while its reader waits for ever, and a
 * symbolic link would be replaced by a file instead of its target being written. So:
 * - `-` is standard output, and a descriptor path (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`, what
 *   `>(…)` gives) is that descriptor: written front to back, with no temporary file;
 * - so is a device or a named pipe;
 * - a symbolic link is written through: its final target is the file replaced (a dangling link: the file
 *   it names is created).
 */
import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

export type OutputTarget =
  /** A regular file (or none yet) at `path`, replaced atomically; `path` is `out` with its symbolic links followed. */
  | { kind: 'file'; path: string }
  /** A device or a named pipe at `path`, opened and written in place. */
  | { kind: 'stream'; path: string }
  /**
   * A descriptor of this process (`-` and `/dev/stdout` are 1): written as it is, not opened again by its
   * path, which fails for a socket (ENXIO: what a parent process in Node gives as stdout).
   */
  | { kind: 'descriptor'; fd: number };

/** `/dev/stdout`, `/dev/stderr`, `/dev/fd/3`, `/proc/self/fd/1`, `/proc/<this pid>/fd/1`: the descriptor's number. */
function descriptorOf(path: string): number | undefined {
  const m = /^\/(?:dev\/(stdout|stderr|fd\/(\d+))|proc\/(self|\d+)\/fd\/(\d+))$/.exec(resolve(path));
  if (!m) return undefined;
  if (m[1] === 'stdout') return 1;
  if (m[1] === 'stderr') return 2;
  if (m[3] !== undefined && m[3] !== 'self' && Number(m[3]) !== process.pid) return undefined; // another process's: a path like any other
  return Number(m[2] ?? m[4]);
}

/** Links followed at most, as the kernel does (ELOOP beyond). */
const MAX_LINKS = 40;

/** What writing `out` means (see the file's comment); refuses a socket or a block device, naming `out`. */
export function outputTarget(out: string): OutputTarget {
  const fd = out === '-' ? 1 : descriptorOf(out);
  if (fd !== undefined) return { kind: 'descriptor', fd };
  const st = statOrNothing(out, statSync);
  if (st?.isCharacterDevice() || st?.isFIFO()) return { kind: 'stream', path: out };
  if (st?.isSocket() || st?.isBlockDevice())
    throw new UserError(`cannot write: ${st.isSocket() ? 'a socket' : 'a block device'}, not a file, a pipe or a character device`, { file: out });
  return { kind: 'file', path: followLinks(out) };
}

/**
 * `path` with its symbolic links followed: the final target, whether or not it exists yet. A path without
 * links comes back as given (relative names stay relative, as messages show them).
 */
export function followLinks(path: string): string {
  let p = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    if (!statOrNothing(p, lstatSync)?.isSymbolicLink()) {
      if (p === path) return path;
      // A parent directory may be a link too: resolve it where it exists.
      try {
        return realpathSync(p);
      } catch {
        return resolveParent(p);
      }
    }
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new UserError('cannot write: too many levels of symbolic links (ELOOP)', { file: path });
}

/** `p` (not there yet) under its parent's real path, where the parent exists. */
function resolveParent(p: string): string {
  try {
    return resolve(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

/**
 * What `path` is, or undefined where it cannot be looked at (not there, a file where a parent directory
 * should be, no permission): the write that follows says why, naming the path as the user gave it.
 */
function statOrNothing(path: string, how: typeof statSync | typeof lstatSync): Stats | undefined {
  try {
    return how(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
