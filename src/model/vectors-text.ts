/**
 * Word vectors as text, as GloVe, word2vec (`binary=False`) and fastText (`.vec`) write them: an optional
 * first line `COUNT DIM`, then a word and its DIM numbers a line, separated by spaces. A word may itself
 * hold spaces (GloVe 840B has some): the last DIM fields are the numbers, and the dimension is the
 * header's or the first line's. Words are lowercased, as the model's vocabulary is; of words equal after
 * that, the first is kept (the files list frequent words first).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { UserError, fsReason } from '../errors.js';
import { gloveTable, type GloveTable } from './glove.js';
import { CHUNK, NUMBER, openVectors } from './vectors-file.js';

/** Parses a text word-vectors file (seconds per 100 MB: `loadWordVectors` caches the result). */
export function readWordVectorsText(file: string): GloveTable {
  const fd = openVectors(file);
  const size = fstatSync(fd).size;
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
  const from = () => (declared === undefined ? 'the first line says' : 'the header says');
  const take = (raw: string) => {
    lineNo++;
    const line = (lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/[ \r]+$/, '');
    if (line === '') return;
    const fields = line.split(' ');
    if (dim === undefined && fields.length === 2 && /^\d+$/.test(fields[0]) && /^\d+$/.test(fields[1])) {
      [declared, dim] = [Number(fields[0]), Number(fields[1])];
      if (dim === 0) fail('the header says the vectors have 0 dimensions');
      // Room for every word at once when the file can hold them (a number and its space take 2 bytes at
      // least); growing by doubling would hold up to twice as much.
      if (2 * declared * dim <= size) vectors = new Float32Array(declared * dim);
      return;
    }
    dim ??= fields.length - 1;
    if (dim < 1) fail('expected a word and its numbers separated by spaces');
    if (fields.length < dim + 1) fail(`has ${fields.length - 1} numbers after the word, expected ${dim} (as ${from()})`);
    const split = fields.length - dim;
    // More fields than a word and DIM numbers: a word with spaces, unless they are numbers too.
    if (split > 1 && NUMBER.test(fields[1])) fail(`has ${fields.length - 1} numbers after the word, expected ${dim} (as ${from()})`);
    const word = fields.slice(0, split).join(' ').toLowerCase();
    vectorLines++;
    if (seen.has(word)) return;
    const row = words.length;
    if ((row + 1) * dim > vectors.length) {
      const grown = new Float32Array(Math.max(1024 * dim, 2 * vectors.length));
      grown.set(vectors);
      vectors = grown;
    }
    for (let d = 0; d < dim; d++) {
      const f = fields[split + d];
      const v = Math.fround(Number(f));
      if (!NUMBER.test(f) || !Number.isFinite(v)) fail(`field ${split + d + 1} ${JSON.stringify(f.slice(0, 40))} is not a number a float32 holds`);
      vectors[row * dim + d] = v;
    }
    seen.add(word);
    words.push(word);
  };
  try {
    // Whole lines are decoded, so a bad byte is found on its own line (a line end is one byte in UTF-8,
    // never inside a character).
    // ignoreBOM: a U+FEFF at the start of a later chunk is a word's; the file's own BOM is dropped below.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const chunk = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, null);
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const cut = n > 0 ? data.lastIndexOf(0x0a) + 1 : data.length;
      const complete = data.subarray(0, cut);
      carry = Buffer.from(data.subarray(cut));
      let text: string;
      try {
        text = decoder.decode(complete);
      } catch {
        for (let at = 0; ; lineNo++) {
          const next = complete.indexOf(0x0a, at);
          try {
            decoder.decode(complete.subarray(at, next < 0 ? complete.length : next));
          } catch {
            break;
          }
          if (next < 0) break;
          at = next + 1;
        }
        lineNo++;
        return fail("not UTF-8 text (and not word2vec's binary format, which starts with a line `COUNT DIM`)");
      }
      if (complete.length > 0) {
        const lines = text.split('\n');
        if (n > 0) lines.pop(); // the empty piece after the chunk's last line end
        for (const l of lines) take(l);
      }
      if (n === 0) break;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read the word vectors: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  } finally {
    closeSync(fd);
  }
  if (!words.length) throw new UserError('holds no word vectors', { file });
  if (declared !== undefined && declared !== vectorLines)
    throw new UserError(`the header says ${declared} words, the file has ${vectorLines}${vectorLines < declared ? ': was it cut short?' : ''}`, { file, line: 1 });
  // A view, not a copy: a copy would add the whole table to the peak memory.
  return gloveTable(dim!, words, vectors.subarray(0, words.length * dim!));
}
