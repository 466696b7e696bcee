/** Vocabularies, GloVe cache and initialisation, sentence encoding and batching. */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import { gloveTable, initialWordMatrix, loadGlove } from '../../src/model/glove.js';
import { PAD, UNK, Vocabulary } from '../../src/model/vocab.js';
import { UserError } from '../../src/errors.js';
import { SCHEMA, seededRng, sentence } from './fixtures.js';
import { tempDir } from '../temp-dir.js';

const train = [
  sentence(['Alice', 'works', 'for', 'Acme', 'Corp', '.'], [[0, 1, 'PER'], [3, 5, 'ORG']], [[0, 1, 'Work_For']]),
  sentence(['Acme', 'employs', 'BOB', 'in', 'Paris'], [[0, 1, 'ORG'], [2, 3, 'PER'], [4, 5, 'LOC']], [[1, 0, 'Work_For'], [0, 2, 'Located_In']]),
  sentence(['Bob', 'and', 'Alice'], [[0, 1, 'PER'], [2, 3, 'PER']], [[1, 0, 'Kin']]),
];

test('vocabulary: train words lowercased after PAD/UNK, chars case-sensitive, labels in schema order', () => {
  const v = Vocabulary.build(train, SCHEMA);
  assert.deepEqual(v.words.items.slice(0, 4), ['<pad>', '<unk>', 'alice', 'works']);
  assert.equal(v.wordId('ALICE'), v.wordId('alice'));
  assert.equal(v.wordId('never-seen'), UNK);
  assert.ok(v.chars.has('A') && v.chars.has('a') && v.chars.has('B'), 'v.chars.has(\'A\') && v.chars.has(\'a\') && v.chars.has(\'B\')');
  assert.deepEqual([...v.charIds('Az')], [v.chars.get('A'), UNK]);
  assert.deepEqual(v.tags.items.slice(0, 6), ['O', 'B-PER', 'I-PER', 'L-PER', 'U-PER', 'B-ORG']);
  assert.equal(v.tags.size, 13);
  assert.deepEqual(v.relations.items, ['NONE', 'Work_For-->', 'Work_For<--', 'Located_In-->', 'Located_In<--', 'Kin-->']);
  assert.deepEqual(Vocabulary.build(train, SCHEMA, 'BIEOU').tags.items.slice(1, 5), ['B-PER', 'I-PER', 'E-PER', 'U-PER']);
  assert.ok(v.matchesSchema(SCHEMA), 'v.matchesSchema(SCHEMA)');
  assert.ok(!v.matchesSchema({ ...SCHEMA, entityTypes: ['ORG', 'PER', 'LOC'] }), '!v.matchesSchema({ ...SCHEMA, entityTypes: [\'ORG\', \'PER\', \'LOC\'] })');
});

test('vocabulary JSON round trip and validation', () => {
  const v = Vocabulary.build(train, SCHEMA);
  const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  assert.deepEqual(back.toJSON(), v.toJSON());
  const bad = (patch: object, re: RegExp) =>
    assert.throws(() => Vocabulary.fromJSON({ ...v.toJSON(), ...patch }, 'x/vocab.json'), (e: unknown) => e instanceof UserError && re.test(e.message) && e.message.startsWith('x/vocab.json'));
  bad({ version: 2 }, /version/);
  bad({ words: ['a', 'b'] }, /words/);
  bad({ relations: ['NONE', 'Work_For'] }, /direction/);
  bad({ chars: 'abc' }, /chars/);
  bad({ tags: ['O', 'B-X'] }, /tags/);
});

test('encode: gold tags, relation direction folded into the label, symmetric canonicalised', () => {
  const v = Vocabulary.build(train, SCHEMA);
  const e0 = encodeSentence(train[0], v);
  assert.deepEqual([...e0.tags!].map((t) => v.tags.items[t]), ['U-PER', 'O', 'O', 'B-ORG', 'L-ORG', 'O']);
  assert.deepEqual(e0.relations, [{ left: [0, 1], right: [3, 5], label: v.relations.get('Work_For-->') }]);
  const e1 = encodeSentence(train[1], v);
  assert.deepEqual(e1.relations, [
    { left: [0, 1], right: [2, 3], label: v.relations.get('Work_For<--') }, // head BOB is right of Acme
    { left: [0, 1], right: [4, 5], label: v.relations.get('Located_In-->') },
  ]);
  const e2 = encodeSentence(train[2], v);
  assert.deepEqual(e2.relations, [{ left: [0, 1], right: [2, 3], label: v.relations.get('Kin-->') }]);
  assert.equal(encodeSentence(train[0], v, { gold: false }).tags, undefined);
  assert.throws(() => encodeSentence(sentence(['x'], [[0, 1, 'WEAPON']]), v), /WEAPON/);
});

test('encode: truncation is recorded, long tokens capped in the char CNN, empty tokens get one char', () => {
  const v = Vocabulary.build(train, SCHEMA);
  const e = encodeSentence(train[1], v, { maxLength: 3 });
  assert.equal(e.words.length, 3);
  assert.equal(e.truncatedFrom, 5);
  assert.deepEqual(e.relations!.length, 1); // Located_In's Paris was cut
  const long = encodeSentence(sentence(['x'.repeat(500), ''], []), v);
  assert.equal(long.chars[0].length, 50);
  assert.deepEqual([...long.chars[1]], [UNK]);
});

test('extended vocabulary: GloVe words outside the train vocabulary get their own rows per batch', () => {
  const v = Vocabulary.build(train, SCHEMA);
  const V = v.words.size;
  const g = gloveTable(2, ['zebra', 'alice', 'yak'], Float32Array.of(1, 2, 3, 4, 5, 6));
  const a = encodeSentence(sentence(['Yak', 'Alice', 'qqq', 'zebra'], []), v, { glove: g });
  assert.deepEqual([...a.words], [V + 2, v.wordId('alice'), UNK, V + 0]);
  const b = encodeSentence(sentence(['zebra', 'works'], []), v, { glove: g });
  const batch = buildBatch([a, b], V, g);
  assert.deepEqual([...batch.words], [V, v.wordId('alice'), UNK, V + 1, V + 1, v.wordId('works'), PAD, PAD]);
  assert.deepEqual([...batch.extraWords!], [5, 6, 1, 2]);
  assert.throws(() => buildBatch([a], V));
});

test('batch: padding, lengths, char tensor [B, T, W]', () => {
  const v = Vocabulary.build(train, SCHEMA);
  const enc = train.map((s) => encodeSentence(s, v));
  const b = buildBatch(enc, v.words.size);
  assert.equal(b.maxLen, 6);
  assert.equal(b.maxChars, 7); // "employs"
  assert.deepEqual([...b.lengths], [6, 5, 3]);
  assert.equal(b.tokens, 14);
  assert.equal(b.chars.length, 3 * 6 * 7);
  assert.deepEqual([...b.charLens.slice(6, 12)], [4, 7, 3, 2, 5, 0]);
  assert.deepEqual([...b.words.slice(12)], [...enc[2].words, 0, 0, 0]);
});

test('GloVe cache table: look-ups of long, non-ASCII and prefix words (one reused UTF-8 buffer)', () => {
  const dir = tempDir('entrel-glove-');
  try {
    const long = 'ß'.repeat(150); // 300 UTF-8 bytes: past the initial buffer
    const src = join(dir, 'wink.json');
    writeFileSync(src, JSON.stringify({ dimensions: 1, words: ['alice', long, 'ünï'], vectors: { alice: [1, 0, 0], [long]: [2, 0, 0], 'ünï': [3, 0, 0] } }));
    const cache = join(dir, 'glove.bin');
    loadGlove({ source: src, cache });
    const g = loadGlove({ source: src, cache }); // the hashed blob table
    assert.equal(g.row(long), 1);
    assert.equal(g.row('ünï'), 2);
    assert.equal(g.row('ß'.repeat(149)), undefined);
    assert.equal(g.row('alic'), undefined);
    assert.equal(g.row('alice'), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GloVe: an unwritable cache place is a warning, not an error; the table is still loaded', async () => {
  const dir = tempDir('entrel-glove-');
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    const src = join(dir, 'wink.json');
    writeFileSync(src, JSON.stringify({ dimensions: 1, words: ['alice'], vectors: { alice: [1] } }));
    writeFileSync(join(dir, 'a-file'), 'x');
    const cache = join(dir, 'a-file', 'glove.bin'); // its directory cannot be made: a file is in the way
    const g = loadGlove({ source: src, cache });
    assert.equal(g.row('alice'), 0);
    await new Promise<void>((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /cannot write the GloVe cache .*a-file\/glove\.bin \((EEXIST|ENOTDIR)\).*ENTREL_CACHE/);
  } finally {
    process.off('warning', onWarning);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GloVe: binary cache round trip; initial matrix uses GloVe rows, U(±0.25) elsewhere, PAD zero', () => {
  const dir = tempDir('entrel-glove-');
  try {
    const src = join(dir, 'wink.json');
    writeFileSync(src, JSON.stringify({ dimensions: 3, words: ['alice', 'works', 'ünï'], vectors: { alice: [1, 2, 3, 3.7, 0], works: [4, 5, 6, 8.7, 1], 'ünï': [7, 8, 9, 1, 2] } }));
    const cache = join(dir, 'c', 'glove.bin');
    const g1 = loadGlove({ source: src, cache });
    const g2 = loadGlove({ source: src, cache }); // from the cache
    assert.deepEqual(g2.words, ['alice', 'works', 'ünï']);
    assert.deepEqual([...g2.vectors], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(g2.row('ünï'), 2);
    assert.deepEqual(g1.words, g2.words);
    const v = Vocabulary.build(train, SCHEMA);
    const { matrix, found } = initialWordMatrix(v, 3, seededRng(1), g2);
    assert.equal(found, 2);
    assert.deepEqual([...matrix.slice(0, 3)], [0, 0, 0]);
    const ai = v.wordId('alice');
    assert.deepEqual([...matrix.slice(ai * 3, ai * 3 + 3)], [1, 2, 3]);
    const fi = v.wordId('for');
    assert.ok([...matrix.slice(fi * 3, fi * 3 + 3)].every((x) => Math.abs(x) <= 0.25 && x !== 0), '[...matrix.slice(fi * 3, fi * 3 + 3)].every((x) => Math.abs(x) <= 0.25 && x !== 0)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
