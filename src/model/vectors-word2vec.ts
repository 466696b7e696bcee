/**
 * word2vec's binary format (`binary=True`, e.g. GoogleNews-vectors-negative300.bin): a text header
 * `COUNT DIM`, then per word its bytes up to a space and DIM little-endian float32s (a newline may
 * follow). Words lowercased and the first of equal ones kept, as for text (vectors-text.ts).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';
import { gloveTable, type GloveTable } from './glove.js';
import { CHUNK, COUNT_DIM, NUMBER, openVectors } from './vectors-file.js';

/**
 * Whether a file starting with `head` is in word2vec's binary format: the header, then a word and raw
 * floats. A text file's first vector line is a word and numbers separated by spaces (whatever their
 * count or the word's encoding: the text reader then says what is wrong, with its line); raw floats
 * practically never look like that. `whole`: `head` is the whole file.
 */
export function isWord2vecBinary(head: Buffer, whole: boolean): boolean {
  const header = COUNT_DIM.exec(head.toString('latin1'));
  if (!header) return false;
  const rest = head.subarray(header[0].length);
  let end = rest.indexOf(0x0a);
  if (end < 0) {
    if (!whole) return true;
    end = rest.length;
  }
  // Two numbers at the end (one for 1-dimensional vectors): raw floats ending in digit bytes are common
  // enough (1 row in 4,000) to pass for one, a space between two such runs is not.
  const fields = rest.subarray(0, end).toString('latin1').replace(/[ \r]+$/, '').split(' ');
  const k = Math.min(Number(header[2]), 2);
  return !(fields.length > k && fields.slice(fields.length - k).every((f) => NUMBER.test(f)));
}

export function readWord2vecBinary(file: string): GloveTable {
  const fd = openVectors(file);
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.alloc(4096);
    const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('latin1');
    const header = COUNT_DIM.exec(head)!;
    const [count, dim] = [Number(header[1]), Number(header[2])];
    if (dim === 0) throw new UserError('the header says the vectors have 0 dimensions', { file, line: 1 });
    if (count === 0) throw new UserError('holds no word vectors (the header says 0 words)', { file, line: 1 });
    const rowBytes = 4 * dim;
    // Each word takes at least a byte, a space and its floats: a header asking for more than the file holds is wrong.
    if (header[0].length + count * (rowBytes + 2) > size)
      throw new UserError(
        `read as word2vec's binary format, the header says ${count} words of ${dim} dimensions, which need at least ${header[0].length + count * (rowBytes + 2)} bytes; the file has ${size}: was it cut short? (A text file is read as binary when its second line does not end in two numbers.)`,
        { file, line: 1 },
      );
    buf = Buffer.alloc(Math.max(CHUNK, 2 * rowBytes + 4096));
    let [pos, end, offset, eof] = [0, 0, header[0].length, false];
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
      for (let d = 0; d < dim; d++) {
        const v = buf.readFloatLE(pos + 4 * d);
        if (!Number.isFinite(v)) throw new UserError(`the vector of word ${i + 1} (${JSON.stringify(word.slice(0, 40))}) holds a non-finite number`, { file });
        vectors[row * dim + d] = v;
      }
      pos += rowBytes;
      if (word === '' || word.includes('\n') || seen.has(word)) continue;
      seen.add(word);
      words.push(word);
    }
    // More after the last word than line ends: more words than the header says, which would be lost.
    fill(buf.length);
    while (pos < end && (buf[pos] === 0x0a || buf[pos] === 0x0d || buf[pos] === 0x20)) pos++;
    if (pos < end) throw new UserError(`the header says ${count} words, but the file goes on after them`, { file, line: 1 });
    if (!words.length) throw new UserError('holds no word vectors', { file });
    // A view, not a copy: a copy would double the peak memory (GoogleNews: 3.6 GB of vectors).
    return gloveTable(dim, words, vectors.subarray(0, words.length * dim));
  } finally {
    closeSync(fd);
  }
}
