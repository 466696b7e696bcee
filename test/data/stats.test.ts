import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCorpus } from '../../src/data/formats/index.js';
import { computeStats, formatStats } from '../../src/data/stats.js';
import { documentFromTokens } from '../../src/data/corpus.js';
import { DATA } from './helpers.js';

test('stats by hand: counts, lengths, nested and crossing pairs', () => {
  const e = (id: string, type: string, start: number, end: number) => ({ id, type, start, end });
  const doc = documentFromTokens('d', [
    { tokens: ['a', 'b', 'c', 'd'], entities: [e('1', 'X', 0, 3), e('2', 'Y', 1, 2), e('3', 'X', 2, 4)], relations: [{ type: 'R', head: '1', tail: '2' }] },
    { tokens: ['e', 'f'], entities: [], relations: [] },
  ]);
  const s = computeStats([doc]);
  assert.equal(s.sentences, 2);
  assert.equal(s.tokens, 6);
  assert.deepEqual(s.sentenceLength, { min: 2, median: 3, mean: 3, max: 4, p95: 4 });
  // byType has no prototype (see the test of types named like Object.prototype members)
  assert.deepEqual({ ...s.entities, byType: { ...s.entities.byType } }, { total: 3, byType: { X: 2, Y: 1 } });
  assert.deepEqual({ ...s.relations, byType: { ...s.relations.byType } }, { total: 1, byType: { R: 1 } });
  assert.equal(s.nestedPairs, 1); // [1,2) in [0,3)
  assert.equal(s.crossingPairs, 1); // [0,3) × [2,4)
  assert.equal(s.sentencesWithOverlap, 1);
  assert.deepEqual(computeStats([]).sentenceLength, { min: 0, median: 0, mean: 0, max: 0, p95: 0 });
});

test('stats on SciERC (nested entities) and NYT (warnings) format as text', async () => {
  const sci = await loadCorpus(join(DATA, 'scierc/dygie/test.json'));
  const s = computeStats(sci.documents, sci.diagnostics.summary());
  assert.equal(s.documents, 100);
  assert.equal(s.sentences, 551);
  assert.equal(s.relations.total, 974);
  assert.ok(s.nestedPairs > 0, 's.nestedPairs > 0');
  const nyt = await loadCorpus(join(DATA, 'nyt_cotype/test.json'));
  const text = formatStats(computeStats(nyt.documents, nyt.diagnostics.summary()));
  assert.match(text, /^documents: 395$/m);
  assert.match(text, /nyt-none-relation-dropped ×3470/);
  assert.match(text, /sentence length: min \d+, median/);
});

test('types named like Object.prototype members are counted like any other (constructor, __proto__, toString)', () => {
  const e = (id: string, type: string, start: number, end: number) => ({ id, type, start, end });
  const doc = documentFromTokens('d', [
    {
      tokens: ['a', 'b', 'c', 'd'],
      entities: [e('1', '__proto__', 0, 1), e('2', 'constructor', 1, 2), e('3', 'constructor', 2, 3), e('4', 'hasOwnProperty', 3, 4)],
      relations: [{ type: 'toString', head: '1', tail: '2' }, { type: '__proto__', head: '2', tail: '3' }, { type: 'toString', head: '3', tail: '4' }],
    },
  ]);
  const s = computeStats([doc]);
  assert.deepEqual(Object.entries(s.entities.byType), [['__proto__', 1], ['constructor', 2], ['hasOwnProperty', 1]]);
  assert.deepEqual(Object.entries(s.relations.byType), [['toString', 2], ['__proto__', 1]]);
  assert.equal(s.entities.byType.constructor, 2);
  // a type that does not occur reads as absent, not as an inherited method
  assert.equal(s.entities.byType.toString, undefined);
  assert.equal(s.relations.byType.valueOf, undefined);
  // JSON keeps the shape {total, byType: {type: count}}
  assert.deepEqual(JSON.parse(JSON.stringify(s.entities)), JSON.parse('{"total":4,"byType":{"__proto__":1,"constructor":2,"hasOwnProperty":1}}'));
  assert.equal(JSON.stringify(s.relations), '{"total":3,"byType":{"toString":2,"__proto__":1}}');
  const text = formatStats(s);
  assert.match(text, /^entities \(4\):\n {2}constructor +2\n {2}__proto__ +1\n {2}hasOwnProperty +1$/m);
  assert.match(text, /^relations \(3\):\n {2}toString +2\n {2}__proto__ +1$/m);
  assert.doesNotMatch(text, /native code/);
});
