/**
 * A user's own word vectors (the training config's `embeddings`) in place of the bundled GloVe, e.g.
 * domain vectors for biomedical text. The file is text, as GloVe, word2vec (`binary=False`) and fastText
 * (`.vec`) write it: an optional first line `COUNT DIM`, then a word and its DIM numbers a line, separated
 * by spaces (a word may itself hold spaces: the last DIM fields are the numbers); or word2vec's binary
 * format (`binary=True`), recognised by its first bytes. Words are lowercased, as
 * the model's vocabulary is (model/vocab.ts); of words equal after that, the first is kept (the files list
 * frequent words first). Parsed once into the binary cache GloVe uses (model/glove.ts), keyed by the file's
 * path, size and time, so later loads take a fraction of a second.
 *
 * A model trained with such vectors records the file (`meta.embeddings`): at inference it reads the words
 * outside its vocabulary through them, as a GloVe model does through GloVe, so the file must be there
 * (or `ENTREL_EMBEDDINGS` must name where it is).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsReason, UserError } from '../errors.js';
import { gloveTable, loadGlove, readTableCache, tableCacheDir, writeTableCache, type GloveTable } from './glove.js';

/** What a model records of the word vectors it was trained with. */
export interface WordVectorsRecord {
  /** Absolute path on the training machine. */
  file: string;
  /** Its size: a different file at that path (or at ENTREL_EMBEDDINGS) is refused. */
  bytes: number;
  dim: number;
  words: number;
}

const CHUNK = 1 << 24;

function openVectors(file: string): number {
  if (/\.(gz|bz2|xz|zst|zip)$/i.test(file)) throw new UserError('compressed word vectors are not read: decompress the file first (e.g. gunzip)', { file });
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw new UserError(`cannot read the word vectors: ${fsReason(e) ?? (e as Error).message}`, { file });
  }
}

/** Parses a word-vectors file, text or word2vec's binary format (told apart by their first bytes). */
export function readWordVectors(file: string): GloveTable {
  const fd = openVectors(file);
  let head: Buffer;
  try {
    head = Buffer.alloc(4096);
    head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
  const header = /^(\d+) (\d+)\r?\n/.exec(head.toString('latin1'));
  // word2vec's binary: the header, then a word, a space and raw float32s, which are not number text.
  if (header) {
    const after = head.subarray(header[0].length);
    const space = after.indexOf(0x20);
    const sample = space < 0 ? after.subarray(0, 0) : after.subarray(space + 1, space + 1 + Math.min(64, 4 * Number(header[2])));
    if (sample.some((b) => !/[0-9.eE+\- \r\n]/.test(String.fromCharCode(b))))
      return readWord2vecBinary(file, Number(header[1]), Number(header[2]), header[0].length);
  }
  return readWordVectorsText(file);
}

/** Parses a text word-vectors file (slow for big files: seconds per 100 MB; `loadWordVectors` caches it). */
export function readWordVectorsText(file: string): GloveTable {
  const fd = openVectors(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const words: string[] = [];
  const seen = new Set<string>();
  let vectors = new Float32Array(0);
  let dim: number | undefined;
  let declared: number | undefined;
  let lineNo = 0;
  let vectorLines = 0;
  const fail = (msg: string): never => {
    throw new UserError(msg, { file, line: lineNo });
  };
  const take = (raw: string) => {
    lineNo++;
    const line = raw.replace(/[ \r]+$/, '');
    if (line === '') return;
    const fields = line.split(' ');
    if (dim === undefined && declared === undefined && vectorLines === 0 && fields.length === 2 && /^\d+$/.test(fields[0]) && /^\d+$/.test(fields[1])) {
      [declared, dim] = [Number(fields[0]), Number(fields[1])];
      if (dim === 0) fail('the header says the vectors have 0 dimensions');
      return;
    }
    dim ??= fields.length - 1;
    if (dim < 1) fail('expected a word and its numbers separated by spaces');
    if (fields.length < dim + 1) fail(`has ${fields.length - 1} fields after the word, expected ${dim} numbers (as ${declared === undefined ? 'the first line' : 'the header'} says)`);
    const split = fields.length - dim;
    const word = fields.slice(0, split).join(' ').toLowerCase();
    vectorLines++;
    if (seen.has(word) || word.includes('\n')) return;
    const row = words.length;
    if ((row + 1) * dim > vectors.length) {
      const grown = new Float32Array(Math.max(1024 * dim, 2 * vectors.length));
      grown.set(vectors);
      vectors = grown;
    }
    for (let d = 0; d < dim; d++) {
      const v = Number(fields[split + d]);
      if (!Number.isFinite(v) || fields[split + d] === '') fail(`field ${split + d + 1} ${JSON.stringify(fields[split + d].slice(0, 40))} is not a number`);
      vectors[row * dim + d] = v;
    }
    seen.add(word);
    words.push(word);
  };
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      let text: string;
      try {
        text = rest + decoder.decode(buf.subarray(0, n), { stream: n > 0 });
      } catch {
        lineNo++;
        fail('not UTF-8 text (and not word2vec\'s binary format, which starts with a line `COUNT DIM`)');
      }
      const lines = text!.split('\n');
      rest = n > 0 ? lines.pop()! : '';
      for (const l of lines) take(l);
      if (n === 0) break;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read the word vectors: ${fsReason(e) ?? (e as Error).message}`, { file });
  } finally {
    closeSync(fd);
  }
  if (!words.length) throw new UserError('holds no word vectors', { file });
  if (declared !== undefined && declared !== vectorLines)
    throw new UserError(`the header says ${declared} words, the file has ${vectorLines}${vectorLines < declared ? ': was it cut short?' : ''}`, { file, line: 1 });
  return gloveTable(dim!, words, vectors.slice(0, words.length * dim!));
}

/**
 * word2vec's binary format (`binary=True`, e.g. GoogleNews-vectors-negative300.bin): a text header
 * `COUNT DIM`, then per word its bytes up to a space and DIM little-endian float32s (a newline may follow).
 */
function readWord2vecBinary(file: string, count: number, dim: number, start: number): GloveTable {
  if (dim === 0) throw new UserError('the header says the vectors have 0 dimensions', { file, line: 1 });
  const fd = openVectors(file);
  const rowBytes = 4 * dim;
  let buf = Buffer.alloc(Math.max(CHUNK, 2 * rowBytes + 4096));
  let [pos, end, offset, eof] = [0, 0, start, false];
  /** At least `n` unread bytes in buf[pos, end), unless the file ends first. */
  const fill = (n: number) => {
    if (end - pos >= n || eof) return;
    buf.copy(buf, 0, pos, end);
    [end, pos] = [end - pos, 0];
    while (end < buf.length && !eof) {
      const got = readSync(fd, buf, end, buf.length - end, offset);
      offset += got;
      end += got;
      if (got === 0) eof = true;
    }
  };
  const words: string[] = [];
  const seen = new Set<string>();
  const vectors = new Float32Array(count * dim);
  const decoder = new TextDecoder();
  try {
    for (let i = 0; i < count; i++) {
      const cut = () => new UserError(`the header says ${count} words, the file ends after ${i}: was it cut short?`, { file, line: 1 });
      fill(1);
      while (pos < end && (buf[pos] === 0x0a || buf[pos] === 0x0d)) pos++;
      fill(rowBytes + 4096);
      let space = buf.indexOf(0x20, pos);
      if (space < 0 || space >= end) {
        if (eof) throw cut();
        fill(buf.length);
        space = buf.indexOf(0x20, pos);
        if (space < 0 || space >= end) throw new UserError(`word ${i + 1} is not followed by a space within ${buf.length} bytes: not word2vec's binary format`, { file });
      }
      const word = decoder.decode(buf.subarray(pos, space)).toLowerCase();
      pos = space + 1;
      fill(rowBytes);
      if (end - pos < rowBytes) throw cut();
      const row = words.length;
      let finite = true;
      for (let d = 0; d < dim; d++) {
        const v = buf.readFloatLE(pos + 4 * d);
        finite &&= Number.isFinite(v);
        vectors[row * dim + d] = v;
      }
      pos += rowBytes;
      if (!finite) throw new UserError(`the vector of word ${i + 1} (${JSON.stringify(word.slice(0, 40))}) holds a non-finite number`, { file });
      if (word === '' || word.includes('\n') || seen.has(word)) continue;
      seen.add(word);
      words.push(word);
    }
  } finally {
    closeSync(fd);
  }
  if (!words.length) throw new UserError('holds no word vectors', { file });
  return gloveTable(dim, words, vectors.slice(0, words.length * dim));
}

const memo = new Map<string, GloveTable>();

/** The vectors of `file`, parsed once into the binary cache and memoised per process. */
export function loadWordVectors(file: string): GloveTable {
  let real: string;
  let st: { size: number; mtimeMs: number };
  try {
    real = realpathSync(file);
    st = statSync(real);
  } catch (e) {
    throw new UserError(`cannot read the word vectors: ${fsReason(e) ?? (e as Error).message}`, { file });
  }
  const key = `${real}\n${st.size}\n${st.mtimeMs}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const cache = join(tableCacheDir(), `vectors-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.bin`);
  let table = existsSync(cache) ? readTableCache(cache, st.size) : undefined;
  if (!table) {
    table = readWordVectors(real);
    writeTableCache(cache, table, st.size, 'word vectors');
  }
  memo.set(key, table);
  return table;
}

/** The record a model keeps of the vectors in `file` (`table`: as loaded from it). */
export function wordVectorsRecord(file: string, table: GloveTable): WordVectorsRecord {
  return { file: realpathSync(file), bytes: statSync(file).size, dim: table.dim, words: table.words.length };
}

/** `meta.embeddings` of a model directory, checked (undefined: the model has none). */
export function recordedWordVectors(meta: Record<string, unknown>, where: string): WordVectorsRecord | undefined {
  const r = meta.embeddings as Partial<WordVectorsRecord> | undefined;
  if (r === undefined) return undefined;
  if (!r || typeof r !== 'object' || typeof r.file !== 'string' || !Number.isInteger(r.bytes) || !Number.isInteger(r.dim) || !Number.isInteger(r.words))
    throw new UserError('meta.embeddings must be {file, bytes, dim, words}', { file: where, field: 'meta.embeddings' });
  return r as WordVectorsRecord;
}

/**
 * Where a model's own word vectors are on this machine: `ENTREL_EMBEDDINGS`, else the path it recorded.
 * Refused when missing or of another size, in words that say how to fix it.
 */
export function wordVectorsFile(rec: WordVectorsRecord, where: string): string {
  const env = process.env.ENTREL_EMBEDDINGS?.trim();
  const file = env || rec.file;
  if (!existsSync(file))
    throw new UserError(
      env
        ? `ENTREL_EMBEDDINGS names ${env}, which does not exist (the model was trained with the word vectors ${rec.file})`
        : `the model was trained with the word vectors ${rec.file}, which are not there: put them at that path, or set ENTREL_EMBEDDINGS to where they are`,
      { file: where },
    );
  const bytes = statSync(file).size;
  if (bytes !== rec.bytes)
    throw new UserError(`is not the word vectors the model was trained with: ${bytes} bytes, where ${rec.file} had ${rec.bytes}`, { file });
  return file;
}

/**
 * The table through which a trained model reads words outside its vocabulary (the extended vocabulary,
 * model/glove.ts): its own word vectors, else the bundled GloVe, or none (`glove: false`).
 */
export function modelWordVectors(meta: Record<string, unknown>, where: string): GloveTable | undefined {
  if (meta.glove === false) return undefined;
  const rec = recordedWordVectors(meta, where);
  return rec ? loadWordVectors(wordVectorsFile(rec, where)) : loadGlove();
}
