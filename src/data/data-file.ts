/**
 * Opening a data file safely, and reading it whole (readFileBounded) or as a stream (fileChunks). What kind
 * of file a reader opens (FileRules): a regular file; a pipe too where the user names the file (`<(…)`);
 * never a device or a socket; a collection's file only inside its directory.
 */
import { constants, fstatSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { UserError } from '../errors.js';
import { ioError } from './io-error.js';
import { isWithin } from './dirs.js';
import { MAX_DOCUMENT_BYTES, tooLarge } from './document-size.js';

const CHUNK = 1 << 20;

/**
 * Which files a reader opens, beyond a regular file (or a symbolic link to one):
 * - `stream`: also a pipe (FIFO) or a terminal, for a file the user names that is read once, front to back
 *   (`<(…)` names a pipe /dev/fd/N). A named pipe found by listing a directory (or beside another file)
 *   would wait for ever for a writer, so only the streaming readers of a file named on the command line
 *   take one. Devices (/dev/zero never ends) and sockets are never read.
 * - `within`: a symbolic link is followed only to a file inside this directory (both resolved): the files
 *   of a brat collection, which a stranger's archive could otherwise point at any file of this machine
 *   (`doc.txt -> ~/.ssh/id_rsa`), read into a corpus that may be shared back.
 */
interface FileRules {
  stream?: boolean;
  within?: string;
}

/** What `s` is, where a regular file was expected. */
function kindOf(s: Stats): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'a file of another kind';
}

function notRegular(file: string, s: Stats, rules: FileRules): UserError {
  if (s.isDirectory()) return ioError(file, { code: 'EISDIR' });
  const accepted = rules.stream ? 'a regular file or a pipe' : 'a regular file';
  return new UserError(`cannot read: ${kindOf(s)}, not ${accepted}`, { file });
}

/**
 * Refuses `file` where it resolves outside `within` (FileRules). A direct entry of `within` that is no
 * symbolic link is inside by its name (what a collection's files are, read without a system call more).
 */
async function refuseOutside(file: string, within: string, entry: Stats): Promise<void> {
  if (!entry.isSymbolicLink() && resolve(dirname(file)) === resolve(within)) return;
  const [target, dir] = await Promise.all([realpath(file), realpath(within)]);
  if (!isWithin(target, dir))
    throw new UserError(`cannot read: a symbolic link to ${target}, outside ${within}: the files of a collection are read from inside its directory only (copy the file in)`, { file });
}

/**
 * `file` opened for reading, once it is shown to be what `rules` accept (FileRules), and what it is once
 * open: a one-line UserError naming it otherwise. A regular file is opened without waiting (O_NONBLOCK),
 * and checked again once open, so a file swapped for a named pipe meanwhile cannot hang the reader.
 */
async function openDataFile(file: string, rules: FileRules): Promise<{ fh: FileHandle; stats: Stats }> {
  let s: Stats;
  try {
    s = await lstat(file);
    if (rules.within !== undefined) await refuseOutside(file, rules.within, s);
    if (s.isSymbolicLink()) s = await stat(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw ioError(file, e);
  }
  const streamable = (x: Stats) => rules.stream === true && (x.isFIFO() || x.isCharacterDevice());
  if (!s.isFile() && !streamable(s)) throw notRegular(file, s, rules);
  let fh: FileHandle;
  try {
    fh = await open(file, s.isFile() ? constants.O_RDONLY | constants.O_NONBLOCK : constants.O_RDONLY);
  } catch (e) {
    throw ioError(file, e);
  }
  try {
    const stats = await fh.stat();
    // Of character devices, a terminal only: /dev/zero and its like never end.
    if (!stats.isFile() && !(streamable(stats) && (stats.isFIFO() || isatty(fh.fd)))) throw notRegular(file, stats, rules);
    return { fh, stats };
  } catch (e) {
    await fh.close();
    throw e instanceof UserError ? e : ioError(file, e);
  }
}

/**
 * The bytes of `file` (opened as `rules` allow: FileRules), at most `maxBytes`: more is refused, by
 * `tooLarge` (or `refuse`), before a byte is read where its size says so, and else once `maxBytes + 1`
 * bytes were read, so that a file that grows, or whose size says less than it holds (/proc), is still capped.
 */
export async function readFileBounded(
  file: string,
  opts: FileRules & { maxBytes?: number; refuse?: (bytes: number, moreThan: boolean) => UserError } = {},
): Promise<Buffer> {
  const max = opts.maxBytes ?? MAX_DOCUMENT_BYTES;
  const refuse =
    opts.refuse ??
    ((bytes: number, moreThan: boolean) =>
      max === MAX_DOCUMENT_BYTES ? tooLarge(bytes, { file }, moreThan) : new UserError(`too large: ${moreThan ? `more than ${max}` : bytes} bytes, and at most ${max} are read`, { file }));
  const { fh, stats } = await openDataFile(file, opts);
  try {
    const size = stats.isFile() ? stats.size : 0;
    if (size > max) throw refuse(size, false);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The size and one byte first (a regular file ends there), else 64 KiB to 1 MiB at a time.
      const want = Math.min(total < size ? size + 1 - total : CHUNK >> 4, CHUNK, max + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      parts.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw refuse(total, true);
      if (total === size && bytesRead < want) break; // its end, where its size said
    }
    return Buffer.concat(parts, total);
  } catch (e) {
    throw e instanceof UserError ? e : ioError(file, e);
  } finally {
    await fh.close();
  }
}

/**
 * A file named on the command line, read as a stream (a pipe will do: FileRules `stream`), in chunks of at
 * most CHUNK bytes; a UTF-8 byte-order mark opening it is dropped.
 */
export async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  // `-`: this process's standard input, read as it comes, whatever it is (a pipe, a socket, a file).
  if (file === '-' || isStdinSocket(file)) return yield* withoutBom(process.stdin as AsyncIterable<Buffer>, file);
  const { fh } = await openDataFile(file, { stream: true });
  const stream = fh.createReadStream({ highWaterMark: CHUNK });
  try {
    yield* withoutBom(stream as AsyncIterable<Buffer>, file);
  } finally {
    stream.destroy();
  }
}

/** `chunks` of `file`, a UTF-8 byte-order mark opening them dropped; a read error as ioError names the file. */
async function* withoutBom(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  let first = true;
  try {
    for await (let c of chunks) {
      if (first) {
        first = false;
        if (c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) c = c.subarray(3);
      }
      yield c;
    }
  } catch (e) {
    throw ioError(file, e);
  }
}

/**
 * Whether `file` names this process's standard input (`/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`) and that
 * is a socket, which cannot be opened again by its path (ENXIO): what a parent process in Node gives as a
 * pipe. It is read as the process's own stream instead.
 */
function isStdinSocket(file: string): boolean {
  if (!/^\/(?:dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/.test(resolve(file))) return false;
  try {
    return fstatSync(0).isSocket();
  } catch {
    return false;
  }
}
