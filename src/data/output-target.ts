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
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

export type OutputTarget =
  /** A regular file (or none yet) at `path`, replaced atomically; `path` is `out` with its symbolic links followed. */
  | { kind: 'file'; path: string }
  /** A character device (`/dev/null`) at `path`, opened and written in place. */
  | { kind: 'device'; path: string }
  /** A named pipe at `path`, opened once a reader has it open, and written in place. */
  | { kind: 'pipe'; path: string }
  /**
   * A descriptor of this process: 1 (`-`, `/dev/stdout`), 2, or one it was given (`3> file`, `>(…)`):
   * written as it is, not opened again by its path, which fails for a socket (ENXIO: what a parent process
   * in Node gives as stdout).
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

/**
 * `fd`, when it is standard output or error or a descriptor this process was given open for writing (`3>
 * file`, `>(…)`); a one-line refusal otherwise. This process's own descriptors (libuv's event loop and its
 * signal pipe, libtorch's) are no output: writing there crashed the process or hung it for good. Node marks
 * every descriptor close-on-exec, given ones too, so they are told apart by what they are: an event or
 * timer descriptor is the process's own, and so is a pipe whose other end this process holds too; a given
 * pipe's reader is another process.
 */
function givenDescriptor(fd: number, out: string): number {
  if (fd <= 2) return fd;
  const what = descriptorLink(fd);
  const refuse = (why: string) => new UserError(`cannot write: descriptor ${fd} ${why}`, { file: out });
  if (what === undefined) throw refuse(`is not open (a shell opens one with ${fd}> FILE)`);
  const own = what.startsWith('anon_inode:') || what.startsWith('socket:') || (what.startsWith('pipe:') && openDescriptors().some((n) => n !== fd && descriptorLink(n) === what));
  if (own) throw refuse(`is one of entrel's own, not one it was given (a shell gives one with ${fd}> FILE or >(…))`);
  const flags = parseInt(/^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0', 8);
  if ((flags & 3) === 0) throw refuse('is open for reading only');
  return fd;
}

/** What descriptor `fd` is open on (`/path`, `pipe:[…]`, `anon_inode:[eventfd]`), undefined when it is not open. */
function descriptorLink(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

const openDescriptors = (): number[] => readdirSync('/proc/self/fd').map(Number);

/** Whether `path` names standard output (`-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`): a command that prints to stdout too must leave it to the output. */
export const writesStandardOutput = (path: string): boolean => path === '-' || descriptorOf(path) === 1;

/** Links followed at most, as the kernel does (ELOOP beyond). */
const MAX_LINKS = 40;

/** What writing `out` means (see the file's comment); refuses a socket or a block device, naming `out`. */
export function outputTarget(out: string): OutputTarget {
  const fd = out === '-' ? 1 : descriptorOf(out);
  if (fd !== undefined) return { kind: 'descriptor', fd: givenDescriptor(fd, out) };
  const st = statOrNothing(out, statSync);
  if (st?.isFIFO()) return { kind: 'pipe', path: out };
  if (st?.isCharacterDevice()) return { kind: 'device', path: out };
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
