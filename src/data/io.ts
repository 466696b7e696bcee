/**
 * Streaming input for the readers: lines, JSON Lines and top-level JSON arrays, read in chunks so a
 * large file keeps memory bounded. Bytes are split before decoding (every JSON structural character and
 * '\n' is ASCII, so splitting UTF-8 at them is safe); each line or record is decoded strictly, so a
 * non-UTF-8 byte is reported with the line or record it sits in. A line or record over
 * MAX_DOCUMENT_BYTES is refused, naming its size. What kind of file each reader opens (FileRules): a
 * regular file; a pipe too where the user names the file (`<(…)`); never a device or a socket.
 */
import { constants, existsSync, mkdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { UserError, type ErrorLocation } from '../errors.js';

const CHUNK = 1 << 20;

/**
 * The most bytes one document may take: a line of JSON Lines, a record of a JSON array, a brat `.txt` or
 * `.ann` file. A document read is held several times over (its text, its tokens, its sentences): 16 MB
 * of raw text (doccano) takes about 850 MB of memory, and one of a few hundred MB exhausted V8's heap
 * (a native crash) or exceeded the longest string V8 holds (512 MB), which read as "not valid UTF-8".
 * A book is a few MB; a larger text is to be split into several documents.
 */
export const MAX_DOCUMENT_BYTES = 16 * 2 ** 20;

/** Bytes in MB (MiB, as MAX_DOCUMENT_BYTES counts them), to 0.1. */
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/**
 * The refusal of a document over MAX_DOCUMENT_BYTES (`bytes` long) at `loc`: a line, a record or a whole
 * file. Its size in MB, or in bytes where it is so little over the limit that the MB would read as the
 * limit itself ("16.0 MB").
 */
export function tooLarge(bytes: number, loc: ErrorLocation, moreThan = false): UserError {
  const what = loc.line === undefined ? 'this file' : loc.unit === 'record' ? 'this record' : 'this line';
  const limit = MAX_DOCUMENT_BYTES / 2 ** 20;
  // `moreThan`: reading stopped past the limit (a file that grew, or whose size said less).
  if (moreThan) return new UserError(`too large: ${what} holds more than ${limit} MB, and one document may take at most ${limit} MB; split it into smaller documents`, loc);
  const size = megabytes(bytes) === megabytes(MAX_DOCUMENT_BYTES)
    ? `${bytes.toLocaleString('en')} bytes, and one document may take at most ${MAX_DOCUMENT_BYTES.toLocaleString('en')} bytes (${limit} MB)`
    : `${megabytes(bytes)}, and one document may take at most ${limit} MB`;
  return new UserError(`too large: ${what} is ${size}; split it into smaller documents`, loc);
}

export interface Located<T> {
  value: T;
  loc: ErrorLocation;
}

/** `fs` failures (missing file, a directory, no permission) as one-line user errors. */
export function ioError(file: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code ?? String(e);
  return new UserError(`cannot read: ${why}`, { file });
}

/** Whether `path` is `dir` or inside it, by their names (resolve symbolic links first where they matter). */
export function isWithin(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/**
 * `mkdir -p`, one directory at a time: Node 20's recursive mkdir spins forever where mkdir answers ENOENT
 * under a parent that exists (inside /proc or /sys), so a mistyped --out hung every command. Throws the
 * errno error of the first directory that cannot be made (ENOENT, EACCES, ENOTDIR, …).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  // The path itself is there but is no directory: what mkdir would say.
  if (missing.length === 0 && !statSync(resolve(dir)).isDirectory())
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: 'EEXIST', path: dir });
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it meanwhile
    }
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    throw ioError(path, e);
  }
}

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
export interface FileRules {
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

/** A file named on the command line, read as a stream (a pipe will do: FileRules `stream`). */
async function* chunks(file: string): AsyncGenerator<Buffer> {
  const { fh } = await openDataFile(file, { stream: true });
  const stream = fh.createReadStream({ highWaterMark: CHUNK });
  try {
    for await (const c of stream) yield c as Buffer;
  } catch (e) {
    throw ioError(file, e);
  } finally {
    stream.destroy();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, loc: ErrorLocation): string {
  try {
    return utf8.decode(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw new UserError('not valid UTF-8 text', loc);
    // A line a reader without a limit (extract's input) took whole, longer than V8's longest string.
    if (code === 'ERR_STRING_TOO_LONG') throw new UserError(`too large: ${megabytes(bytes.length)} in one line, more than one JavaScript string can hold`, loc);
    throw e;
  }
}

/**
 * Lines without their '\n' (and a trailing '\r'), 1-based line numbers; a UTF-8 BOM is dropped; a line of
 * more than `maxBytes` (its own: no '\r' or BOM counted) is refused (tooLarge), once its end shows how long it is.
 * Yields the lines of each chunk as one batch: a generator step per line costs more than the parsing.
 */
export async function* readLineBatches(file: string, maxBytes = Infinity): AsyncGenerator<Located<string>[]> {
  let pending: Buffer[] = [];
  let size = 0; // of the pending line; past maxBytes (and a '\r') its bytes are only counted
  let last = -1; // its last byte
  let line = 0;
  let bom = true;
  const emit = (parts: Buffer[]): Located<string> => {
    line++;
    let buf = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    const loc = { file, line };
    return { value: decode(buf, loc), loc };
  };
  const add = (piece: Buffer) => {
    size += piece.length;
    if (piece.length) last = piece[piece.length - 1];
    if (size <= maxBytes + 1) pending.push(piece);
    else pending = [];
  };
  const refuseLong = () => {
    const own = size - (last === 0x0d ? 1 : 0);
    if (own > maxBytes) throw tooLarge(own, { file, line: line + 1 });
  };
  for await (let chunk of chunks(file)) {
    if (bom) {
      bom = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const batch: Located<string>[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      add(chunk.subarray(from, nl));
      refuseLong();
      batch.push(emit(pending));
      pending = [];
      size = 0;
      last = -1;
      from = nl + 1;
    }
    if (from < chunk.length) add(chunk.subarray(from));
    if (batch.length) yield batch;
  }
  refuseLong();
  if (pending.length) yield [emit(pending)];
}

export async function* readLines(file: string, maxBytes = Infinity): AsyncGenerator<Located<string>> {
  for await (const batch of readLineBatches(file, maxBytes)) yield* batch;
}

/**
 * A whole JSON file (a training config, a types file): a syntax error names its line and column, where
 * JSON.parse gives a character position, which nobody can find in an editor.
 */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const m = / at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
    if (!m) throw new UserError(`invalid JSON (${message})`, { file });
    const before = text.slice(0, Number(m[1]));
    const column = before.length - before.lastIndexOf('\n');
    throw new UserError(`invalid JSON (${message.replace(m[0], '')}, column ${column})`, { file, line: before.split('\n').length });
  }
}

function parseJson(text: string, loc: ErrorLocation): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`invalid JSON (${(e as Error).message})`, loc);
  }
}

/** One JSON value per non-blank line, a document of at most MAX_DOCUMENT_BYTES; an empty file is an error. */
export async function* readJsonLines(file: string): AsyncGenerator<Located<unknown>> {
  let any = false;
  for await (const { value, loc } of readLines(file, MAX_DOCUMENT_BYTES)) {
    if (value.trim() === '') continue;
    any = true;
    yield { value: parseJson(value, loc), loc };
  }
  if (!any) throw new UserError('empty file', { file });
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The elements of a top-level JSON array, one at a time (record numbers are 1-based). Scans bytes
 * tracking string/escape state and nesting depth; only one element is held in memory at a time, and one
 * of more than MAX_DOCUMENT_BYTES is refused (tooLarge) once its end shows how long it is.
 */
export async function* readJsonArray(file: string): AsyncGenerator<Located<unknown>> {
  type State = 'start' | 'between' | 'element' | 'done';
  let state = 'start' as State;
  let record = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let parts: Buffer[] = [];
  let size = 0; // of the element; past MAX_DOCUMENT_BYTES (and its white space) its bytes are only counted
  let space = 0; // white space at the element's end so far, which is not the record's
  let afterComma = false;
  let bom = true;
  const loc = (): ErrorLocation => ({ file, line: record, unit: 'record' });
  const add = (piece: Buffer) => {
    size += piece.length;
    if (size - space <= MAX_DOCUMENT_BYTES) parts.push(piece);
    else parts = [];
  };
  const finish = (): Located<unknown> => {
    const l = loc();
    if (size - space > MAX_DOCUMENT_BYTES) throw tooLarge(size - space, l);
    const value = parseJson(decode(Buffer.concat(parts), l), l);
    parts = [];
    size = 0;
    space = 0;
    return { value, loc: l };
  };

  for await (let chunk of chunks(file)) {
    if (bom) {
      bom = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    let elemStart = -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (state === 'element') {
        if (inString) {
          space = 0;
          if (escape) escape = false;
          else if (b === 0x5c) escape = true;
          else if (b === 0x22) inString = false;
          continue;
        }
        if (b === 0x22) inString = true;
        else if (b === 0x5b || b === 0x7b) depth++;
        else if (b === 0x5d || b === 0x7d) depth--;
        if (depth < 0 || (depth === 0 && b === 0x2c)) {
          // the element ended just before this ',' or ']'
          add(chunk.subarray(elemStart === -1 ? 0 : elemStart, i));
          elemStart = -1;
          yield finish();
          state = b === 0x2c ? 'between' : 'done';
          afterComma = b === 0x2c;
          depth = 0;
        } else space = WS.has(b) ? space + 1 : 0;
        continue;
      }
      if (WS.has(b)) continue;
      if (state === 'start') {
        if (b !== 0x5b) throw new UserError('expected a JSON array ("[" at the start of the file)', { file });
        state = 'between';
      } else if (state === 'between') {
        if (b === 0x5d && !afterComma) {
          state = 'done';
          continue;
        }
        record++;
        state = 'element';
        elemStart = i;
        depth = 0;
        i--; // re-scan this byte as part of the element
      } else {
        throw new UserError('unexpected content after the closing "]"', { file });
      }
    }
    if (state === 'element') add(chunk.subarray(elemStart === -1 ? 0 : elemStart));
  }
  if (state === 'start') throw new UserError('empty file', { file });
  if (state !== 'done') {
    if (state === 'between') record++;
    throw new UserError('truncated JSON: the file ends inside the array', loc());
  }
}

/**
 * The first directory named twice in `dirs` (`runs/a` and `runs/a/`, or a link to it), as the indices of
 * its two names; a missing directory is compared as written (loading it then says it is missing).
 */
export function repeatedDirectory(dirs: readonly string[]): [first: number, again: number] | undefined {
  const seen = new Map<string, number>();
  for (const [i, dir] of dirs.entries()) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      real = resolve(dir);
    }
    const first = seen.get(real);
    if (first !== undefined) return [first, i];
    seen.set(real, i);
  }
  return undefined;
}
