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
  assert.deepEqual(s.entities, { total: 3, byType: { X: 2, Y: 1 } });
  assert.deepEqual(s.relations, { total: 1, byType: { R: 1 } });
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
  assert.ok(s.nestedPairs > 0);
  const nyt = await loadCorpus(join(DATA, 'nyt_cotype/test.json'));
  const text = formatStats(computeStats(nyt.documents, nyt.diagnostics.summary()));
  assert.match(text, /^documents: 395$/m);
  assert.match(text, /nyt-none-relation-dropped ×3470/);
  assert.match(text, /sentence length: min \d+, median/);
});
