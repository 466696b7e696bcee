/**
 * Reading the files of a model directory, which may come from a stranger: only a regular file (a symbolic
 * link is followed, but must lead to one) and at most a given size, read in one pass into one buffer of
 * the size the file has. A FIFO or `/dev/stdin` would block the reader for ever, `/dev/zero` would fill
 * memory (its size is 0, so no size check catches it), a multi-gigabyte file named `vocab.json` would
 * make JSON.parse exhaust the heap: each is refused with one line naming the file.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { byteSize, GiB, MiB } from '../data/byte-size.js';
import { fsReason, UserError } from '../errors.js';


/**
 * Largest weights.safetensors (and checkpoint file) read: 4 GiB, Node's largest Buffer, i.e. about a
 * billion float32 parameters (the bundled model has 1.2 million, in 5 MB).
 */
export const MAX_WEIGHTS_BYTES = 4 * GiB;

/**
 * Largest config.json, schema.json, vocab.json, checksum (and model package.json) read: 64 MiB, a
 * vocabulary of about five million words (the bundled model's is 70 KB). Parsing one that size takes
 * about 1 GB and 10 s; four times that would come near the V8 heap's limit, where Node aborts.
 */
export const MAX_JSON_BYTES = 64 * MiB;

/** Why a file that is not a regular file is refused (`link`: how it was reached), for a message. */
function nonRegular(st: Stats, link: string): string {
  if (st.isDirectory()) return `it is a directory (EISDIR)${link}`;
  const what = st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'no ordinary file';
  return `it is ${what}${link}, not a regular file`;
}

/** " (through a symbolic link)" when `path` is one. */
function throughLink(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? ' (through a symbolic link)' : '';
  } catch {
    return '';
  }
}

/**
 * The bytes of the regular file `path`, at most `max` of them; anything else is a UserError naming the
 * file as a `kind` (a "model file"): `cannot read this model file: it is a FIFO (named pipe), not a
 * regular file`. The file is opened without blocking (a FIFO's open waits for a writer otherwise) and
 * checked on the descriptor, so a file replaced after a check cannot slip through; one that grows while
 * it is read is refused rather than read without end.
 */
export function readBoundedFile(path: string, kind: string, max: number): Buffer {
  const refuse = (why: string) => new UserError(`cannot read this ${kind}: ${why}`, { file: path });
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A socket, or a device file with no driver behind it.
    if (code === 'ENXIO') throw refuse(`it is a socket or a device${throughLink(path)}, not a regular file (ENXIO)`);
    throw refuse(fsReason(e, true) ?? (e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse(nonRegular(st, throughLink(path)));
    if (st.size > max) {
      const size = byteSize(st.size) === byteSize(max) ? `${st.size} bytes` : byteSize(st.size);
      throw refuse(`it is ${size}, more than the ${byteSize(max)} ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} may have`);
    }
    const buf = Buffer.allocUnsafeSlow(st.size);
    let got = 0;
    try {
      // In pieces: one read takes at most 2 GiB − 1 bytes.
      for (let n = -1; got < st.size && n !== 0; got += n) n = readSync(fd, buf, got, Math.min(st.size - got, GiB), got);
      // More than its size said: a file being written, or not an ordinary one (/proc's report size 0).
      if (readSync(fd, Buffer.alloc(1), 0, 1, got) > 0)
        throw refuse('it grew while it was read (a file being written, or a special file such as those under /proc)');
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw refuse(fsReason(e, true) ?? (e as Error).message);
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
