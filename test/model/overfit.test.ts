/** A tiny model (no GloVe) fits 20 training sentences: entity and relation F1 = 1.0. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import { createJointModel } from '../../src/model/index.js';
import { Adam } from '../../src/train/optim.js';
import { clipGradNorm, manualSeed, setNumThreads, tidy } from '../../src/tensor/index.js';
import { SCHEMA, seededRng, strictF1, syntheticSentences } from './fixtures.js';

test('a tiny model overfits 20 sentences to entity and relation F1 = 1.0', () => {
  setNumThreads(1); // tiny ops: threads only add overhead
  manualSeed(7);
  const train = syntheticSentences(20, 3);
  const { model, vocab } = createJointModel(
    train,
    SCHEMA,
    { wordDim: 16, charDim: 8, charFilters: 4, lstmHidden: 16, relFilters: 8, mlpHidden: 32, dropout: 0.1, maxDistance: 10 },
    { glove: false, rng: seededRng(1) },
  );
  const enc = train.map((s) => encodeSentence(s, vocab));
  const batch = buildBatch(enc, vocab.words.size);
  const params = model.parameters();
  const opt = new Adam(params, { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const rng = seededRng(5);
  const t0 = Date.now();
  let scores = { ent: 0, rel: 0 };
  let epoch = 0;
  for (; epoch < 400 && Date.now() - t0 < 40_000; epoch++) {
    model.train();
    tidy(() => {
      opt.zeroGrad();
      const l = model.localLoss(batch, { epoch, rng });
      l.loss.backward();
      clipGradNorm([...params.values()], 5);
      opt.step();
    });
    if (epoch % 10 === 9) {
      scores = strictF1(train, model.predict(batch));
      if (scores.ent === 1 && scores.rel === 1) break;
    }
  }
  console.log(`overfit: epoch ${epoch + 1}, ${Date.now() - t0} ms, F1 ent ${scores.ent} rel ${scores.rel}`);
  assert.equal(scores.ent, 1);
  assert.equal(scores.rel, 1);
});
