/**
 * The joint model's parts on their own (review 15b finding 9.1): the relation head is a module whose
 * parameters keep the weights-file names they had as the joint model's own layers; the decoders read
 * only a tagger's parts; the loss and prediction functions are what the model's methods run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagGrammar } from '../../src/data/viterbi.js';
import { defaultModelConfig } from './model-config.js';
import { decodeEmissions, predictBatch } from '../../src/model/joint-decode.js';
import { localLoss } from '../../src/model/joint-loss.js';
import { Module } from '../../src/model/layers/module.js';
import { RelationHead } from '../../src/model/relation-head.js';
import { manualSeed, noGrad, tensor, tidy } from '../../src/tensor/index.js';
import { seededRng } from './fixtures.js';
import { tinyJointModel, TINY_DIMS } from './tiny-joint.js';

const LAYERS = ['mid.k2.weight', 'mid.k2.bias', 'mid.k3.weight', 'mid.k3.bias', 'e1.k2.weight', 'e1.k2.bias', 'e1.k3.weight', 'e1.k3.bias'];
const MLP = ['e2.k2.weight', 'e2.k2.bias', 'e2.k3.weight', 'e2.k3.bias', 'hidden.weight', 'hidden.bias', 'out.weight', 'out.bias'];

test("the relation head's parameters: its own names alone, rel_<layer>.* under a parent (the weights files' keys)", () => {
  manualSeed(1);
  const config = defaultModelConfig(TINY_DIMS);
  const head = new RelationHead(config, 8, 5, 3);
  assert.deepEqual([...head.namedParameters().keys()], [...LAYERS, ...MLP]);
  class Parent extends Module {
    readonly rel = this.child('rel', head);
  }
  assert.deepEqual([...new Parent().namedParameters().keys()], [...LAYERS, ...MLP].map((n) => `rel_${n}`));
  assert.deepEqual(head.hidden.weight.shape, [config.mlpHidden, 3 * 2 * config.relFilters + config.maxDistance + 2 * 8]);
  assert.equal(head.featureDim, head.hidden.weight.size(1));
});

test("the joint model's rel_* parameters are its relation head's, and train/eval reaches the head", () => {
  const { model } = tinyJointModel({ torchSeed: 1, train: [4, 1] });
  const params = model.parameters();
  assert.equal(params.get('rel_out.bias'), model.relation.out.bias);
  assert.equal(params.get('rel_mid.k2.weight'), model.relation.mid.convs[0].weight);
  assert.equal(params.get('rel_hidden.weight'), model.relation.hidden.weight);
  assert.equal(model.relation.training, false);
  model.train();
  assert.equal(model.relation.training, true);
});

test('decodeEmissions reads only a tagger: argmax per token, the best valid chunking, given tags, span scores', () => {
  const tags = ['O', 'B-X', 'I-X', 'L-X', 'U-X'];
  const grammar = tagGrammar(tags);
  // One sentence of 3 tokens: the per-token argmax I-X, I-X, O is no valid chunking.
  const logits = [
    [0, 1.5, 2, 0, 0],
    [0, 0, 2, 1.9, 0],
    [1, 0, 0, 0.95, 0],
  ];
  const emissions = tensor(logits.flat(), { shape: [1, 3, 5], dtype: 'float64' });
  const lengths = Int32Array.of(3);
  const probs = logits.map((row) => row.map((x) => Math.exp(x) / row.reduce((s, y) => s + Math.exp(y), 0)));
  const argmax = decodeEmissions({ config: defaultModelConfig({ decoder: 'argmax' }), grammar }, emissions, lengths);
  assert.deepEqual([...argmax.tagIds], [2, 2, 0]);
  const viterbi = decodeEmissions({ config: defaultModelConfig({ decoder: 'viterbi' }), grammar }, emissions, lengths);
  assert.deepEqual([...viterbi.tagIds], [1, 2, 3], 'B-X I-X L-X: the most probable valid chunking');
  assert.ok(Math.abs(viterbi.spanScore(0, 0, 3) - probs[0][1] * probs[1][2] * probs[2][3]) < 1e-6, 'span score = Π P_ent(t_i | s) (read from float32 log-probs)');
  const given = decodeEmissions({ config: defaultModelConfig({ decoder: 'viterbi' }), grammar }, emissions, lengths, Int32Array.of(4, 0, 0));
  assert.deepEqual([...given.tagIds], [4, 0, 0]);
  assert.ok(Math.abs(given.spanScore(0, 0, 1) - probs[0][4]) < 1e-6, 'a given tag scores its probability');
});

test("localLoss and predictBatch are what the model's localLoss and predict run", () => {
  const { model, batch } = tinyJointModel({ torchSeed: 3, train: [5, 2] });
  const loss = (f: () => { loss: { item(): number }; pairs: number }) =>
    noGrad(() =>
      tidy(() => {
        const l = f();
        return [l.loss.item(), l.pairs];
      }),
    );
  assert.deepEqual(
    loss(() => localLoss(model, batch, { epoch: 1, rng: seededRng(4) })),
    loss(() => model.localLoss(batch, { epoch: 1, rng: seededRng(4) })),
  );
  assert.deepEqual(noGrad(() => tidy(() => predictBatch(model, batch))), model.predict(batch));
});
