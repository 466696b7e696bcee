/**
 * A tiny model trained in the test process on synthetic sentences (test/model/fixtures.ts) until it fits
 * them exactly, saved as a model directory, so that the Extractor's output is known in advance: the
 * sentences are space-separated tokens, which the text tokenizer reproduces.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import { createJointModel } from '../../src/model/index.js';
import { saveModelDir } from '../../src/model/io.js';
import { clipGradNorm, manualSeed, setNumThreads, tidy } from '../../src/tensor/index.js';
import { Adam } from '../../src/train/optim.js';
import { SCHEMA, seededRng, strictF1, syntheticSentences } from '../model/fixtures.js';

export { SCHEMA };

/** Trains (≈ 2–5 s) and saves; returns the model directory. */
export function trainTinyModelDir(): string {
  setNumThreads(1);
  manualSeed(7);
  const train = syntheticSentences(20, 3);
  const { model, vocab } = createJointModel(
    train,
    SCHEMA,
    { wordDim: 16, charDim: 8, charFilters: 4, lstmHidden: 16, relFilters: 8, mlpHidden: 32, dropout: 0.1, maxDistance: 10 },
    { glove: false, rng: seededRng(1) },
  );
  const batch = buildBatch(train.map((s) => encodeSentence(s, vocab)), vocab.words.size);
  const params = model.parameters();
  const opt = new Adam(params, { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const rng = seededRng(5);
  for (let epoch = 0; epoch < 400; epoch++) {
    model.train();
    tidy(() => {
      opt.zeroGrad();
      const l = model.localLoss(batch, { epoch, rng });
      l.loss.backward();
      clipGradNorm([...params.values()], 5);
      opt.step();
    });
    if (epoch % 10 === 9) {
      const f = strictF1(train, model.predict(batch));
      if (f.ent === 1 && f.rel === 1) break;
    }
  }
  const dir = join(mkdtempSync(join(tmpdir(), 'entrel-tiny-')), 'model');
  saveModelDir(dir, model, SCHEMA, { glove: false, name: 'tiny', version: '9.9.9', trainedOn: 'synthetic', metrics: { train: 1 } });
  return dir;
}
