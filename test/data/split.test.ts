import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { checkLabelCoverage, documentsFor, splitPositions } from '../../src/data/split.js';
import type { Document } from '../../src/data/corpus.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('a split is a seeded partition of the documents, each part in corpus order', () => {
  const s = splitPositions(100, { dev: { fraction: 0.1 }, test: { count: 15 }, seed: 3 });
  assert.deepEqual([s.train.length, s.dev.length, s.test.length], [75, 10, 15]);
  assert.deepEqual([...s.train, ...s.dev, ...s.test].sort((a, b) => a - b), range(100));
  for (const part of [s.train, s.dev, s.test]) assert.deepEqual(part, [...part].sort((a, b) => a - b));
  assert.deepEqual(splitPositions(100, { dev: { fraction: 0.1 }, test: { count: 15 }, seed: 3 }), s);
  assert.notDeepEqual(splitPositions(100, { dev: { fraction: 0.1 }, test: { count: 15 }, seed: 4 }).dev, s.dev);
  // Not the first or last documents: the order is shuffled.
  assert.notDeepEqual(s.dev, range(10));
});

test('sizes: a fraction rounds to the nearest count and takes at least one document; 0 takes none', () => {
  assert.equal(documentsFor({ fraction: 0.1 }, 922), 92);
  assert.equal(documentsFor({ fraction: 0.15 }, 10), 2);
  assert.equal(documentsFor({ fraction: 0.01 }, 5), 1);
  assert.equal(documentsFor({ fraction: 0 }, 5), 0);
  assert.equal(documentsFor({ count: 7 }, 5), 7);
  const s = splitPositions(5, { dev: { fraction: 0.1 }, test: { fraction: 0 }, seed: 1 });
  assert.deepEqual([s.train.length, s.dev.length, s.test.length], [4, 1, 0]);
});

test('a split that leaves train empty, or splits nothing off, is refused', () => {
  assert.throws(() => splitPositions(2, { dev: { fraction: 0.1 }, test: { fraction: 0.1 }, seed: 1 }), /has 2 documents, too few for 1 dev and 1 test/);
  assert.throws(() => splitPositions(10, { dev: { count: 10 }, test: { fraction: 0 }, seed: 1 }), /too few for 10 dev and 0 test/);
  assert.throws(() => splitPositions(0, { dev: { fraction: 0.1 }, test: { fraction: 0.1 }, seed: 1 }), /has 0 documents/);
  assert.throws(() => splitPositions(10, { dev: { fraction: 0 }, test: { count: 0 }, seed: 1 }), /both 0: nothing to split off/);
});

function doc(id: string, ents: string[], rels: string[]): Document {
  const entities = ents.map((type, i) => ({ id: `T${i}`, type, start: i, end: i + 1 }));
  const relations = rels.map((type) => ({ type, head: 'T0', tail: 'T1' }));
  const tokens = ents.map((_, i) => ({ start: 2 * i, end: 2 * i + 1, text: 'x' }));
  return { id, text: 'x '.repeat(ents.length), sentences: [{ tokens, entities, relations }] } as Document;
}

test('label coverage: a type only in dev or test, and a train type a held-out part lacks, are warned about', () => {
  const docs = [doc('a', ['Peop', 'Org'], ['Work_For']), doc('b', ['Peop', 'Loc'], ['Live_In']), doc('c', ['Peop', 'Org'], ['Work_For'])];
  const d = new Diagnostics();
  checkLabelCoverage(docs, { train: [0, 2], dev: [1], test: [] }, d);
  const lines = d.format().join('\n');
  assert.match(lines, /type-not-in-train ×2 \(e\.g\. entity type "Loc" is in dev but not in train.*relation type "Live_In" is in dev but not in train/);
  assert.match(lines, /type-not-in-part ×2 \(e\.g\. entity type "Org" is in train but not in dev, so dev does not score it.*relation type "Work_For"/);
  assert.doesNotMatch(lines, /"Peop"|test/); // in every part; an empty test part is not checked
  const clean = new Diagnostics();
  checkLabelCoverage(docs, { train: [0, 1], dev: [2], test: [] }, clean);
  assert.match(clean.format().join('\n'), /"Loc" is in train but not in dev/);
  assert.doesNotMatch(clean.format().join('\n'), /not in train/);
});
