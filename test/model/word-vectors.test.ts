/**
 * The user's own word vectors (config `embeddings`, src/model/word-vectors.ts): the text formats GloVe,
 * word2vec and fastText write, their faults named by file and line, the binary cache, and a trained
 * model's record of the file (missing, moved, replaced).
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTableCache } from '../../src/model/glove.js';
import { test } from 'node:test';
import { userError } from '../user-error.js';
import { loadWordVectors, modelWordVectors, readWordVectors, readWordVectorsText, wordVectorsRecord } from '../../src/model/word-vectors.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

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
  const e = userError(f);
  assert.match(e.message, message);
  if (line !== undefined) assert.equal(e.location.line, line);
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
  // A byte-order mark starts the file, not its first word; U+FEFF elsewhere is a word's.
  assert.deepEqual(readWordVectorsText(file('\uFEFFa 1 2\n\uFEFFb 3 4\n')).words, ['a', '\uFEFFb']);
});

test('a faulty file is refused naming the line and what is wrong', () => {
  refused(() => readWordVectorsText(file('a 1 2\nb 3\n')), /has 1 numbers after the word, expected 2 \(as the first line says\)/, 2);
  // More numbers than the header says is not a word with spaces.
  refused(() => readWordVectorsText(file('2 2\nhello 1 2 3\nb 3 4 5\n')), /has 3 numbers after the word, expected 2 \(as the header says\)/, 2);
  refused(() => readWordVectorsText(file('2 3\na 1 2 x\n')), /field 4 "x" is not a number a float32 holds/, 2);
  for (const bad of ['NaN', 'Infinity', '0x10', '0b11', '1e39', '\t'])
    refused(() => readWordVectorsText(file(`a 1 ${bad}\n`)), new RegExp(`field 3 ${JSON.stringify(bad).replace(/\\/g, '\\\\')} is not a number`), 1);
  refused(() => readWordVectorsText(file('3 2\na 1 2\nb 3 4\n')), /the header says 3 words, the file has 2: was it cut short\?/, 1);
  refused(() => readWordVectorsText(file('\n\n')), /holds no word vectors/);
  refused(() => readWordVectorsText(file('word\n')), /expected a word and its numbers/, 1);
  // The line of a bad byte, not the first line of the chunk it was read in.
  refused(() => readWordVectorsText(file(Buffer.concat([Buffer.from('a 1 2\n'.repeat(999)), Buffer.from([0x62, 0x20, 0xff, 0x0a])]))), /not UTF-8 text \(and not word2vec's binary format/, 1000);
  // A valid U+FFFD in a word is no bad byte; the bad one is on line 10.
  refused(() => readWordVectorsText(file(Buffer.concat([Buffer.from('a 1 2\nb 1 2\n\uFFFD 1 2\n' + 'c 1 2\n'.repeat(6)), Buffer.from([0x64, 0xff, 0x20, 0x31, 0x20, 0x32, 0x0a])]))), /not UTF-8 text/, 10);
  // Text with a header is read as text whatever is wrong with it, and the fault named with its line.
  refused(() => readWordVectors(file('2 16\na 1 2 3 4 5 6 7 8\nb 1 2 3 4 5 6 7 8\n')), /has 8 numbers after the word, expected 16 \(as the header says\)/, 2);
  refused(() => readWordVectors(file(Buffer.concat([Buffer.from('1 2\n'), Buffer.from([0x4b, 0xf6, 0x6c, 0x6e]), Buffer.from(' 1 2\n')]))), /not UTF-8 text/, 2);
  refused(() => readWordVectorsText(file('a 1\n', 'v.vec.gz')), /compressed word vectors are not read: decompress the file first/);
  refused(() => readWordVectorsText(join(dir, 'none.txt')), /none\.txt: cannot read the word vectors: no such file or directory \(ENOENT\)$/);
});

test('a character split by the 16 MiB read boundary is read whole, and a bad byte after it is on its own line', () => {
  // The first line 31 bytes, the others 32: line 524289 starts one byte before 2²⁴, with a 2-byte é.
  const line = (w: string) => `${w.padEnd(27, 'x')} 1 2\n`;
  const m = 524288;
  const lines = [line('first').slice(1), ...Array.from({ length: m - 1 }, (_, i) => line(`w${i}`)), `é${line('split').slice(2)}`, line('after')];
  const text = lines.join('');
  assert.equal(Buffer.byteLength(lines.slice(0, m).join('')), 2 ** 24 - 1);
  const t = readWordVectorsText(file(text, 'boundary.txt'));
  assert.equal(t.words[m], `é${line('split').slice(2, 27)}`);
  refused(() => readWordVectorsText(file(Buffer.concat([Buffer.from(text), Buffer.from([0x7a, 0xff, 0x20, 0x31, 0x20, 0x32, 0x0a])]), 'boundary-bad.txt')), /not UTF-8 text/, m + 3);
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
  refused(() => readWordVectors(file(binary(3, rows))), /the header says 3 words, but the file goes on after them/, 1);
  refused(() => readWordVectors(file('0 999999999999\n')), /holds no word vectors \(the header says 0 words\)/, 1);
  refused(() => readWordVectors(file(binary(4000000000, rows))), /the header says 4000000000 words of 2 dimensions, which need at least \d+ bytes; the file has \d+/, 1);
  refused(() => readWordVectors(file(binary(1, [['a', [NaN, 1]]]))), /the vector of word 1 \("a"\) holds a non-finite number/);
  // A first row whose float bytes read "5" then a newline (0.0498 is 35 0a 4c 3d) is still binary.
  const digits = Buffer.concat([Buffer.from('1 3\n</s> '), Buffer.from(new Uint32Array([0x3d4c0a35, 0x3f800000, 0x40000000]).buffer), Buffer.from('\n')]);
  assert.deepEqual([...digits.subarray(9, 11)], [0x35, 0x0a]);
  assert.deepEqual(readWordVectors(file(digits)).words, ['</s>']);
  // A text file with a header is still text, also when its first word has a space.
  assert.deepEqual(vector(readWordVectors(file('1 2\na -1.5e-3 2\n')), 'a'), [-1.5e-3, 2].map(Math.fround));
  assert.deepEqual(readWordVectors(file('2 2\nnew york 0.5 0.25\ncat 1 2\n')).words, ['new york', 'cat']);
  assert.deepEqual(readWordVectors(file('1 2\nend 1 2')).words, ['end']);
});

test('loadWordVectors keeps one cache per file, rebuilt when the file changes', () => {
  const path = file('a 1 2\n', 'cached.txt');
  assert.deepEqual(vector(loadWordVectors(path), 'a'), [1, 2]);
  appendFileSync(path, 'b 3 4\n');
  assert.deepEqual(vector(loadWordVectors(path), 'b'), [3, 4]);
  writeFileSync(path, 'a 5 6\nb 7 8\n'); // the same size: the time tells
  assert.deepEqual(vector(loadWordVectors(path), 'a'), [5, 6]);
  const cached = readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('vectors-'));
  assert.deepEqual(cached.map((f) => f.replace(/^vectors-[0-9a-f]+/, '')).sort(), ['.bin', '.key']);
  // A cache removed behind its stamp's back (or damaged) is rebuilt by the next process, not an error.
  const bin = join(dir, 'cache', cached.find((f) => f.endsWith('.bin'))!);
  assert.equal(readTableCache(join(dir, 'cache', 'none.bin'), 12), undefined);
  writeFileSync(join(dir, 'cache', 'short.bin'), 'ENTRGLV1');
  assert.equal(readTableCache(join(dir, 'cache', 'short.bin'), 12), undefined);
  rmSync(bin);
  const script = `import { loadWordVectors } from ${JSON.stringify(fileURLToPath(new URL('../../src/model/word-vectors.ts', import.meta.url)))};
    console.log(JSON.stringify([...loadWordVectors(${JSON.stringify(path)}).vectors]));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { ...CHILD_LIMIT, encoding: 'utf8', env: { ...process.env } });
  assert.equal(r.stderr, '');
  assert.deepEqual(JSON.parse(r.stdout), [5, 6, 7, 8]);
  assert.ok(readdirSync(join(dir, 'cache')).includes(basename(bin)), 'rewritten');
  // A path with a line end in it is read whole from the stamp: its file is there, its cache stays.
  mkdirSync(join(dir, 'nl\ndir'));
  const odd = join(dir, 'nl\ndir', 'v.txt');
  writeFileSync(odd, 'q 1 2\n');
  loadWordVectors(odd);
  // Another host's cache (a shared directory) is not this host's to judge, whatever its path.
  const foreign = join(dir, 'cache', 'vectors-00000000000000aa');
  writeFileSync(`${foreign}.key`, `${join(dir, 'not\nhere.txt')}\n12\n1\nfp\nsome-other-host`);
  writeFileSync(`${foreign}.bin`, 'x');
  // The cache of a vectors file that is gone is removed when another cache is made.
  rmSync(path);
  loadWordVectors(file('z 1 2\n', 'another.txt'));
  assert.ok(!readdirSync(join(dir, 'cache')).includes(basename(bin)), 'the orphan went');
  assert.equal(readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('vectors-') && f.endsWith('.bin')).length, 3);
  assert.ok(readdirSync(join(dir, 'cache')).includes('vectors-00000000000000aa.bin'), "another host's stays");
});

test('the memo holds only the latest version of a vectors file rewritten in place, not every version read', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const path = file('a 1 2\n', 'versions.txt');
  const first = new WeakRef(loadWordVectors(path));
  assert.equal(loadWordVectors(path), first.deref(), 'the same version is read once');
  writeFileSync(path, 'a 3 4\nb 5 6\n');
  assert.deepEqual(vector(loadWordVectors(path), 'a'), [3, 4]);
  for (let i = 0; i < 5 && first.deref(); i++) {
    await new Promise((r) => setImmediate(r)); // WeakRefs are cleared between turns of the event loop
    gc();
  }
  assert.equal(first.deref(), undefined, 'the first version\'s table was released');
});

test('a model with its own vectors finds them where it recorded them or where ENTREL_EMBEDDINGS says; other vectors are refused', () => {
  const path = file('a 1 2\nb 3 4\n', 'mine.txt');
  const record = wordVectorsRecord(path, readWordVectorsText(path));
  assert.deepEqual({ ...record, file: undefined, fingerprint: record.fingerprint.length }, { file: undefined, bytes: 12, fingerprint: 32, dim: 2, words: 2 });
  const meta = { glove: true, embeddings: record };
  assert.deepEqual(vector(modelWordVectors(meta, 2, 'm')!, 'b'), [3, 4]);
  assert.equal(modelWordVectors({ glove: false, embeddings: record }, 2, 'm'), undefined);
  // A model saved without saying (the library's saveModelDir) and words of another dimension than GloVe's: none.
  assert.equal(modelWordVectors({}, 8, 'm'), undefined);
  const moved = join(dir, 'moved');
  const gone = { glove: true, embeddings: { ...record, file: join(moved, 'mine.txt') } };
  refused(() => modelWordVectors(gone, 2, 'm'), /^m: was trained with the word vectors .*moved\/mine\.txt, which are not there: put them at that path, or set ENTREL_EMBEDDINGS to the file or its directory$/);
  const other = file('a 9 9\nb 9 9\n', 'other.txt'); // the same size, other vectors
  const env = (value: string, f: () => void) => {
    process.env.ENTREL_EMBEDDINGS = value;
    try {
      f();
    } finally {
      delete process.env.ENTREL_EMBEDDINGS;
    }
  };
  env(path, () => assert.deepEqual(vector(modelWordVectors(gone, 2, 'm')!, 'a'), [1, 2]));
  env(dir, () => assert.deepEqual(vector(modelWordVectors(gone, 2, 'm')!, 'a'), [1, 2]), );
  env(`${other}:${path}`, () => assert.deepEqual(vector(modelWordVectors(gone, 2, 'm')!, 'a'), [1, 2]));
  env(other, () => refused(() => modelWordVectors(gone, 2, 'm'), /^m: was trained with the word vectors .*mine\.txt \(12 bytes\); .*other\.txt is other vectors/));
  // The recorded path holds other vectors now: ENTREL_EMBEDDINGS finds the model's own.
  const atRecord = { glove: true, embeddings: { ...record, file: other } };
  env(path, () => assert.deepEqual(vector(modelWordVectors(atRecord, 2, 'm')!, 'a'), [1, 2]));
  refused(() => modelWordVectors({ embeddings: { file: 3 } }, 2, 'm/config.json'), /^m\/config\.json: meta\.embeddings: must be \{file, bytes, fingerprint, dim, words\}/);
  refused(() => modelWordVectors({ glove: true }, 8, 'm'), /^m: says it was trained with GloVe \(100 dimensions\), but its words have 8$/);
});

test('a model\'s recorded vectors path is only a hint: what is there otherwise is not told apart, nor named (review 12b L4)', () => {
  const path = file('a 1 2\nb 3 4\n', 'hint.txt');
  const record = wordVectorsRecord(path, readWordVectorsText(path));
  const probe = (at: string) => userError(() => modelWordVectors({ glove: true, embeddings: { ...record, file: at } }, 2, 'm')).message.replace(at, '<recorded>');
  // A stranger's model naming a file of this machine: another file there, of the same size or not, a
  // directory, a FIFO, a device, a /proc file or nothing at all read the same, and the message names no file found.
  const secret = file('a 9 9\nb 9 9\n', 'secret.txt'); // the recorded size: its fingerprint is read, and differs
  const other = file('root:x:0:0:root:/root:/bin/bash\n', 'passwd');
  const fifo = join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const absent = probe(join(dir, 'nothing-here'));
  assert.equal(absent, 'm: was trained with the word vectors <recorded>, which are not there: put them at that path, or set ENTREL_EMBEDDINGS to the file or its directory');
  for (const at of [secret, other, dir, fifo, '/dev/zero', '/proc/self/environ']) assert.equal(probe(at), absent, at);
  // A relative path would be read from wherever the loading process runs: not a place.
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    assert.equal(probe('hint.txt'), absent);
  } finally {
    process.chdir(cwd);
  }
  // The user's own places (ENTREL_EMBEDDINGS, the model directory) are named: the user chose them.
  process.env.ENTREL_EMBEDDINGS = secret;
  try {
    assert.match(probe(join(dir, 'gone', 'hint.txt')), /^m: was trained with the word vectors <recorded> \(12 bytes\); .*secret\.txt is other vectors/);
  } finally {
    delete process.env.ENTREL_EMBEDDINGS;
  }
  // Control characters from the record are shown escaped, not sent to the terminal.
  const escape = join(dir, 'evil\u001b]0;TITLE\u0007.txt');
  assert.match(userError(() => modelWordVectors({ glove: true, embeddings: { ...record, file: escape } }, 2, 'm')).message, /word vectors ".*evil\\u001b\]0;TITLE\\u0007\.txt", which are not there/);
});
