/** A tiny model (no GloVe) fits 20 training sentences: entity and relation F1 = 1.0. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitTinyModel } from './tiny-fit.js';

for (const tagger of ['softmax', 'crf'] as const)
  test(`a tiny model overfits 20 sentences to entity and relation F1 = 1.0 (${tagger} tagger)`, () => {
    const { scores, epochs, ms } = fitTinyModel(40_000, tagger === 'crf' ? { tagger, decoder: 'viterbi' } : {});
    console.log(`overfit (${tagger}): epoch ${epochs}, ${ms} ms, F1 ent ${scores.ent} rel ${scores.rel}`);
    assert.equal(scores.ent, 1);
    assert.equal(scores.rel, 1);
  });
