/**
 * Scores depend a little on the batch a sentence is computed in (padding changes the float sums): the
 * README says by how much, and that is what the bundled model does between batch sizes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCorpus } from '../../src/data/formats/index.js';
import { Extractor, type ExtractedDocument } from '../../src/extract/index.js';

const root = join(import.meta.dirname, '..', '..');
const test04 = join(root, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');

/** A document's entities and relations without their scores, and its scores in the same order. */
const split = (doc: ExtractedDocument) => ({
  items: JSON.stringify([doc.entities.map(({ score, ...e }) => e), doc.relations.map(({ score, ...r }) => r)]),
  scores: [...doc.entities, ...doc.relations].map((x) => x.score),
});

test("the README's tolerance for scores between batch compositions holds between --batch-size 1 and the default, sets unchanged", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const stated = /Scores may differ by about (\d(?:\.\d+)?e-\d+) with the batch a\s+sentence is computed in \(which texts share a call or a batch, `--batch-size`/.exec(readme);
  assert.ok(stated, 'the README says how much scores differ with batch composition');
  const texts = (await loadCorpus(test04)).documents.slice(0, 120).map((d) => d.text);
  const [one, batched] = [await Extractor.load(undefined, { batchSize: 1, workers: 0 }), await Extractor.load(undefined, { workers: 0 })];
  try {
    const [a, b] = [(await one.extract(texts)).map(split), (await batched.extract(texts)).map(split)];
    assert.deepEqual(a.map((d) => d.items), b.map((d) => d.items));
    const worst = Math.max(...a.flatMap((d, i) => d.scores.map((s, j) => Math.abs(s - b[i].scores[j]))));
    assert.ok(worst <= 10 * Number(stated[1]), `scores differ by up to ${worst}`);
  } finally {
    await Promise.all([one.close(), batched.close()]);
  }
});
