/** The tagger options: casing classes and embedding, word dropout, the Viterbi decoder. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { casingClass } from '../../src/model/casing.js';
import { tagGrammar } from '../../src/data/viterbi.js';
import { validateModelConfig } from '../../src/model/config.js';
import { UNK } from '../../src/model/vocab.js';
import type { ModelConfig } from '../../src/model/types.js';
import { manualSeed, noGrad, tidy } from '../../src/tensor/index.js';
import { tinyJointModel } from './tiny-joint.js';
import { seededRng } from './fixtures.js';

test('casingClass: lower, Initial, ALLCAPS, mIxEd, numbers, digits inside, punctuation', () => {
  const cases: [string, number][] = [
    ['john', 1], ['John', 2], ['Émile', 2], ['IBM', 3], ['A', 3], ['McDonald', 4], ['iPhone', 4],
    ['1984', 5], ['3,000.5', 5], ['B-52', 6], ['4th', 6], [',', 7], ['--', 7], ['', 7], ['日本', 7],
  ];
  for (const [tok, want] of cases) assert.equal(casingClass(tok), want, tok);
});

test('model config: directories saved before the decoder/casing/word-dropout settings load with the paper values', () => {
  const old = { wordDim: 100, charDim: 50, charWidths: [2, 3], charFilters: 25, lstmHidden: 64, relWidths: [2, 3], relFilters: 25, mlpHidden: 128, dropout: 0.5, maxDistance: 200, fixRightContext: true, tagScheme: 'BILOU' };
  const c = validateModelConfig(old, 'x/config.json');
  assert.equal(c.decoder, 'argmax');
  assert.equal(c.caseDim, 0);
  assert.equal(c.wordDropout, 0);
  assert.equal(c.lockedDropout, false);
  assert.throws(() => validateModelConfig({ ...old, lockedDropout: 'yes' }, 'x/config.json'), /x\/config\.json.*lockedDropout.*true or false/);
  assert.equal(c.lstmLayers, 1);
  assert.throws(() => validateModelConfig({ ...old, lstmLayers: 0 }, 'x/config.json'), /x\/config\.json.*lstmLayers/);
  assert.throws(() => validateModelConfig({ ...old, decoder: 'beam' }, 'x/config.json'), /x\/config\.json.*decoder.*argmax.*viterbi/);
  assert.throws(() => validateModelConfig({ ...old, wordDropout: 1 }, 'x/config.json'), /wordDropout/);
  assert.throws(() => validateModelConfig({ ...old, caseDim: -1 }, 'x/config.json'), /caseDim/);
});

const tinyModel = (extra: Partial<ModelConfig>) =>
  tinyJointModel({ torchSeed: 3, train: [6, 2], initSeed: 1, training: true, config: { wordDim: 8, lstmHidden: 5, relFilters: 4, maxDistance: 10, ...extra } });

test('caseDim adds a casing embedding to the BiLSTM input, and the casing changes the states', () => {
  const { model, batch } = tinyModel({ caseDim: 3 });
  assert.ok(model.parameters().has('case.weight'), 'model.parameters().has(\'case.weight\')');
  assert.deepEqual(model.parameters().get('case.weight')!.shape, [8, 3]);
  assert.deepEqual(model.parameters().get('lstm.weight_ih_l0')!.shape[1], 8 + 2 * 3 + 3);
  model.eval();
  const h1 = noGrad(() => model.encode(batch).h.toFloat64Array());
  const flipped = { ...batch, cases: batch.cases.map((c) => (c === 0 ? 0 : c === 1 ? 2 : 1)) };
  const h2 = noGrad(() => model.encode(flipped).h.toFloat64Array());
  assert.ok(h1.some((v, i) => Math.abs(v - h2[i]) > 1e-6), 'h1.some((v, i) => Math.abs(v - h2[i]) > 1e-6)');
  assert.ok(!tinyModel({}).model.parameters().has('case.weight'), '!tinyModel({}).model.parameters().has(\'case.weight\')');
});

test('charFeatureDropout drops out the char features in training only: eval-mode states as without it, train-mode ones not', () => {
  const states = (charFeatureDropout: boolean, training: boolean) => {
    const { model, batch } = tinyModel({ charFeatureDropout, dropout: 0.5 });
    model.train(training);
    manualSeed(11);
    return noGrad(() => model.encode(batch).h.toFloat64Array());
  };
  assert.deepEqual(states(true, false), states(false, false));
  assert.deepEqual(states(true, true), states(true, true), 'the same seed, the same masks');
  assert.notDeepEqual(states(true, true), states(false, true));
});

test('addGoldPairs: false leaves the gold relations\' pairs out of the candidates when the tags miss their arguments', () => {
  const { model, batch } = tinyModel({});
  // Late in scheduled sampling the tags are the model's own (p_gold ≈ 0): an untrained model finds next to nothing.
  const pairsWith = (addGoldPairs: boolean) => tidy(() => model.localLoss(batch, { epoch: 60, rng: seededRng(1), addGoldPairs }).pairs);
  const gold = batch.sentences.reduce((n, s) => n + (s.relations?.length ?? 0), 0);
  assert.ok(gold > 0, 'gold > 0');
  assert.ok(pairsWith(true) >= pairsWith(false) + 1, `${pairsWith(true)} vs ${pairsWith(false)}`);
});

test('lstmLayers 2 stacks a second BiLSTM reading both directions of the first', () => {
  const { model, batch } = tinyModel({ lstmLayers: 2, dropout: 0.5 });
  const p = model.parameters();
  for (const sfx of ['', '_reverse']) {
    assert.deepEqual(p.get(`lstm.weight_ih_l1${sfx}`)!.shape, [4 * 5, 2 * 5]);
    assert.deepEqual(p.get(`lstm.weight_hh_l1${sfx}`)!.shape, [4 * 5, 5]);
  }
  assert.ok(!p.has('lstm.weight_ih_l2'), '!p.has(\'lstm.weight_ih_l2\')');
  assert.ok(!tinyModel({}).model.parameters().has('lstm.weight_ih_l1'), '!tinyModel({}).model.parameters().has(\'lstm.weight_ih_l1\')');
  model.eval();
  const h = noGrad(() => model.encode(batch).h);
  assert.deepEqual(h.shape, [batch.size, batch.maxLen, 2 * 5]);
  const before = h.toFloat64Array();
  assert.deepEqual(noGrad(() => model.encode(batch).h.toFloat64Array()), before, 'eval mode is deterministic');
  noGrad(() => p.get('lstm.bias_ih_l1')!.mul_(3)); // the top layer's weights shape the output
  const after = noGrad(() => model.encode(batch).h.toFloat64Array());
  assert.ok(before.some((v, i) => Math.abs(v - after[i]) > 1e-6), 'before.some((v, i) => Math.abs(v - after[i]) > 1e-6)');
});

test('wordDropout replaces real words by UNK in train mode only', () => {
  const { model, batch } = tinyModel({ wordDropout: 0.999999 });
  const allUnk = { ...batch, words: batch.words.map((w) => (w === 0 ? 0 : UNK)) };
  model.eval();
  const evalUnk = noGrad(() => model.encode(allUnk).h.toFloat64Array());
  const evalReal = noGrad(() => model.encode(batch).h.toFloat64Array());
  model.train(); // dropout 0: the only train-mode difference left is the word dropout
  const trainReal = noGrad(() => model.encode(batch).h.toFloat64Array());
  assert.ok(evalReal.some((v, i) => Math.abs(v - evalUnk[i]) > 1e-6), 'the words matter in eval mode');
  for (let i = 0; i < trainReal.length; i++) assert.ok(Math.abs(trainReal[i] - evalUnk[i]) < 1e-6, `state ${i}`);
});

test("decoder 'viterbi': an untrained model's tags always form a valid chunking; 'argmax' often does not", () => {
  const g = tagGrammar(tinyModel({}).model.vocab.tags.items);
  const validSeq = (tags: string[], names: readonly string[]) => {
    const ids = tags.map((t) => names.indexOf(t));
    return g.first[ids[0]] === 1 && g.last[ids[ids.length - 1]] === 1 && ids.every((id, i) => i === 0 || g.allowed[ids[i - 1] * g.n + id] === 1);
  };
  let invalidArgmax = 0;
  for (const decoder of ['argmax', 'viterbi'] as const) {
    const { model, batch } = tinyModel({ decoder });
    const names = model.vocab.tags.items;
    for (const p of model.predict(batch)) {
      if (decoder === 'viterbi') assert.ok(validSeq(p.tags, names), p.tags.join(' '));
      else if (!validSeq(p.tags, names)) invalidArgmax++;
      for (const e of p.entities) assert.ok(e.score > 0 && e.score <= 1, 'e.score > 0 && e.score <= 1');
    }
  }
  assert.ok(invalidArgmax > 0, 'the random model should produce some invalid argmax sequences');
});
