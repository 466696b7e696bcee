/** The two word channels (`model.staticWords`, Kim 2014): a frozen copy of the initial vectors beside the fine-tuned ones. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateModelConfig } from '../../src/model/config.js';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import { loadModelDir, saveModelDir } from '../../src/model/io.js';
import { noGrad, tensor, tidy } from '../../src/tensor/index.js';
import { Adam } from '../../src/train/optim.js';
import { SCHEMA, seededRng, syntheticSentences } from './fixtures.js';
import { tinyJointModel } from './tiny-joint.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-static-');
const train = syntheticSentences(6, 4);

const tinyModel = (staticWords: boolean, dtype: 'float32' | 'float64' = 'float64') =>
  tinyJointModel({ torchSeed: 11, train, dtype, config: { staticWords } });

const emissionsOf = (model: ReturnType<typeof tinyModel>['model'], batch: ReturnType<typeof tinyModel>['batch']) =>
  noGrad(() => tidy(() => model.encode(batch).emissions.toFloat64Array()));

test('staticWords: the second channel starts as the fine-tuned one, widens x, and never moves in training', () => {
  const { model, batch } = tinyModel(true);
  const params = model.parameters();
  const stat = params.get('word_static.weight')!;
  assert.deepEqual(stat.toFloat64Array(), model.word.weight.toFloat64Array());
  assert.equal(stat.requiresGrad, false);
  // x = c (2 widths × 3 filters) ⊕ w (5) ⊕ static w (5)
  assert.equal(params.get('lstm.weight_ih_l0')!.shape[1], 6 + 5 + 5);
  const before = stat.toFloat64Array();
  const wordBefore = model.word.weight.toFloat64Array();
  const opt = new Adam(params, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  for (let step = 0; step < 2; step++) {
    tidy(() => model.localLoss(batch, { epoch: -60, rng: seededRng(1) }).loss.backward());
    assert.equal(stat.grad, null);
    assert.ok(model.word.weight.grad !== null, 'model.word.weight.grad !== null');
    opt.step();
    opt.zeroGrad();
  }
  assert.deepEqual(stat.toFloat64Array(), before);
  assert.notDeepEqual(model.word.weight.toFloat64Array(), wordBefore);
});

test('staticWords: the tagger reads the static channel; false (the paper) has none', () => {
  const { model, batch } = tinyModel(true);
  const before = emissionsOf(model, batch);
  noGrad(() => model.staticWord!.weight.mul_(0.5));
  assert.notDeepEqual(emissionsOf(model, batch), before);
  const paper = tinyModel(false).model;
  assert.equal(paper.staticWord, undefined);
  assert.equal(paper.parameters().has('word_static.weight'), false);
  assert.equal(paper.parameters().get('lstm.weight_ih_l0')!.shape[1], 6 + 5);
});

test('staticWords: a word first met at inference gets its GloVe row in both channels', () => {
  const { model, vocab, batch } = tinyModel(true);
  const V = vocab.words.size;
  const v = Float64Array.from({ length: 5 }, (_, i) => 0.3 - 0.1 * i);
  // Word id j whose rows in both channels are v, and the same sentence reading v as extended row |V|.
  const j = batch.words[0];
  noGrad(() => {
    model.word.weight.narrow(0, j, 1).copy_(tensor(v, { shape: [1, 5], dtype: 'float64' }));
    model.staticWord!.weight.narrow(0, j, 1).copy_(tensor(v, { shape: [1, 5], dtype: 'float64' }));
  });
  const viaVocab = emissionsOf(model, batch);
  const words = batch.words.slice();
  words[0] = V;
  const viaGlove = emissionsOf(model, { ...batch, words, extraWords: Float32Array.from(v) });
  assert.equal(viaGlove.length, viaVocab.length);
  for (let i = 0; i < viaVocab.length; i++) assert.ok(Math.abs(viaGlove[i] - viaVocab[i]) < 1e-6, `${i}: ${viaGlove[i]} vs ${viaVocab[i]}`);
});

test('staticWords: the frozen channel saves and loads with the model; old directories read false', () => {
  const { model, vocab } = tinyModel(true, 'float32'); // the weights file holds float32
  const dir = join(root, 'static-model');
  saveModelDir(dir, model, SCHEMA);
  const loaded = loadModelDir(dir).model;
  assert.equal(loaded.config.staticWords, true);
  assert.deepEqual(loaded.staticWord!.weight.toFloat64Array(), model.staticWord!.weight.toFloat64Array());
  assert.equal(loaded.staticWord!.weight.requiresGrad, false);
  const batch = buildBatch(train.map((s) => encodeSentence(s, vocab, { gold: false })), vocab.words.size);
  assert.deepEqual(loaded.predict(batch), model.predict(batch));
  const { staticWords: _, ...old } = model.config;
  assert.equal(validateModelConfig(old, 'x/config.json').staticWords, false);
  assert.throws(() => validateModelConfig({ ...old, staticWords: 1 }, 'x/config.json'), /x\/config\.json.*staticWords.*true or false/);
});
