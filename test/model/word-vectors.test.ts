/**
 * The user's own word vectors (config `embeddings`, src/model/word-vectors.ts): the text formats GloVe,
 * word2vec and fastText write, their faults named by file and line, the binary cache, and a trained
 * model's record of the file (missing, moved, replaced).
 */
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isUserError } from '../../src/errors.js';
import { loadWordVectors, modelWordVectors, readWordVectors, readWordVectorsText, wordVectorsRecord } from '../../src/model/word-vectors.js';
import { tempDir } from '../temp-dir.js';

const dir = tempDir('entrel-vectors-');
process.env.ENTREL_CACHE = join(dir, 'cache');
let n = 0;
function file(text: string | Uint8Array, name = `v${n++}.txt`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const vector = (t: ReturnType<typeof readWordVectorsText>, w: string) => {
  const r = t.row(w);
  return r === undefined ? undefined : [...t.vectors.subarray(r * t.dim, (r + 1) * t.dim)];
};
function refused(f: () => unknown, message: RegExp, line?: number): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(isUserError(e), String(e));
    assert.match(e.message, message);
    if (line !== undefined) assert.equal(e.location.line, line);
    return true;
  });
}

test('a fastText .vec: header, trailing spaces, CRLF; words lowercased, the first of equal ones kept', () => {
  const t = readWordVectorsText(file('4 3\r\nThe 0.1 0.2 0.3 \r\nthe 9 9 9 \r\nBoston -1 2.5e-1 0\r\nNew York 1 1 1\r\n'));
  assert.equal(t.dim, 3);
  assert.deepEqual(t.words, ['the', 'boston', 'new york']);
  assert.deepEqual(vector(t, 'the'), [0.1, 0.2, 0.3].map(Math.fround));
  assert.deepEqual(vector(t, 'boston'), [-1, 0.25, 0]);
  assert.deepEqual(vector(t, 'new york'), [1, 1, 1]);
  assert.equal(t.row('The'), undefined, 'looked up lowercased, as the vocabulary is');
});

test('a GloVe file: no header, the dimension is the first line\'s; a last line without newline counts', () => {
  const t = readWordVectorsText(file('a 1 2\nb 3 4'));
  assert.equal(t.dim, 2);
  assert.deepEqual(vector(t, 'b'), [3, 4]);
});

test('a faulty file is refused naming the line and what is wrong', () => {
  refused(() => readWordVectorsText(file('a 1 2\nb 3\n')), /has 1 fields after the word, expected 2 numbers \(as the first line says\)/, 2);
  refused(() => readWordVectorsText(file('2 3\na 1 2 x\n')), /field 4 "x" is not a number/, 2);
  refused(() => readWordVectorsText(file('a 1 NaN\n')), /field 3 "NaN" is not a number/, 1);
  refused(() => readWordVectorsText(file('3 2\na 1 2\nb 3 4\n')), /the header says 3 words, the file has 2: was it cut short\?/, 1);
  refused(() => readWordVectorsText(file('\n\n')), /holds no word vectors/);
  refused(() => readWordVectorsText(file('word\n')), /expected a word and its numbers/, 1);
  refused(() => readWordVectorsText(file(Buffer.from([0x61, 0x20, 0xff, 0xfe, 0x0a]))), /not UTF-8 text \(and not word2vec's binary format/, 1);
  refused(() => readWordVectorsText(file('a 1\n', 'v.vec.gz')), /compressed word vectors are not read: decompress the file first/);
  refused(() => readWordVectorsText(join(dir, 'none.txt')), /cannot read the word vectors: .*ENOENT/);
});

/** word2vec's binary format: a text header, then per word its bytes, a space and raw float32s. */
function binary(count: number, rows: [string, number[]][], newline = true): Buffer {
  const parts = [Buffer.from(`${count} ${rows[0][1].length}\n`)];
  for (const [w, v] of rows) parts.push(Buffer.from(`${w} `), Buffer.from(new Float32Array(v).buffer), Buffer.from(newline ? '\n' : ''));
  return Buffer.concat(parts);
}

test("word2vec's binary format is recognised and read, with or without newlines; lowercased, first kept", () => {
  // Float bytes that are a space (32) or a newline (10) must not confuse the reader: the denormals 4.5e-44 and 1.4e-44.
  const rows: [string, number[]][] = [['The', [0.5, -2]], ['the', [9, 9]], ['Köln', [4.5e-44, 1.4e-44]], ['New_York', [3, 4]]];
  for (const newline of [true, false]) {
    const t = readWordVectors(file(binary(4, rows, newline)));
    assert.equal(t.dim, 2);
    assert.deepEqual(t.words, ['the', 'köln', 'new_york']);
    assert.deepEqual(vector(t, 'the'), [0.5, -2]);
    assert.deepEqual(vector(t, 'köln'), [4.5e-44, 1.4e-44].map(Math.fround));
  }
  refused(() => readWordVectors(file(binary(5, rows))), /the header says 5 words, the file ends after 4: was it cut short\?/);
  refused(() => readWordVectors(file(binary(1, [['a', [NaN, 1]]]))), /the vector of word 1 \("a"\) holds a non-finite number/);
  // A text file with a header is still text.
  assert.deepEqual(vector(readWordVectors(file('1 2\na -1.5e-3 2\n')), 'a'), [-1.5e-3, 2].map(Math.fround));
});

test('loadWordVectors keeps a binary cache, and a changed file is read again', () => {
  const path = file('a 1 2\n', 'cached.txt');
  assert.deepEqual(vector(loadWordVectors(path), 'a'), [1, 2]);
  assert.equal(readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('vectors-')).length, 1);
  appendFileSync(path, 'b 3 4\n');
  assert.deepEqual(vector(loadWordVectors(path), 'b'), [3, 4]);
});

test('a model trained with its own vectors reads them from where it recorded them, or from ENTREL_EMBEDDINGS; another file is refused', () => {
  const path = file('a 1 2\nb 3 4\n', 'mine.txt');
  const record = wordVectorsRecord(path, readWordVectorsText(path));
  assert.deepEqual({ ...record, file: undefined }, { file: undefined, bytes: 12, dim: 2, words: 2 });
  const meta = { glove: true, embeddings: record };
  assert.deepEqual(vector(modelWordVectors(meta, 'm/config.json')!, 'b'), [3, 4]);
  assert.equal(modelWordVectors({ glove: false, embeddings: record }, 'm/config.json'), undefined);
  const gone = { glove: true, embeddings: { ...record, file: join(dir, 'moved-away.txt') } };
  refused(() => modelWordVectors(gone, 'm/config.json'), /the model was trained with the word vectors .*moved-away\.txt, which are not there: put them at that path, or set ENTREL_EMBEDDINGS/);
  process.env.ENTREL_EMBEDDINGS = path;
  try {
    assert.deepEqual(vector(modelWordVectors(gone, 'm/config.json')!, 'a'), [1, 2]);
    process.env.ENTREL_EMBEDDINGS = file('a 1 2 3\n', 'other.txt');
    refused(() => modelWordVectors(gone, 'm/config.json'), /is not the word vectors the model was trained with: 8 bytes, where .*moved-away\.txt had 12/);
  } finally {
    delete process.env.ENTREL_EMBEDDINGS;
  }
  refused(() => modelWordVectors({ embeddings: { file: 3 } }, 'm/config.json'), /meta\.embeddings must be \{file, bytes, dim, words\}/);
});
