/**
 * expectedWeightShapes (what a model directory's weights are compared with before the model is built)
 * lists exactly the parameters JointModel builds, names, shapes and order, for every kind of setting: a
 * setting added to the model without it would make every model with that setting refused at load.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelConfig } from '../../src/model/types.js';
import { expectedWeightShapes } from '../../src/model/weight-shapes.js';
import { tinyJointModel } from './tiny-joint.js';

const SETTINGS: Partial<ModelConfig>[] = [
  {},
  { staticWords: true },
  { caseDim: 3 },
  { lstmLayers: 3 },
  { tagger: 'crf', decoder: 'viterbi' },
  { lmHidden: 5 },
  { charWidths: [1, 4, 7], relWidths: [5], maxDistance: 13, relFilters: 2, mlpHidden: 9 },
  { tagScheme: 'BIEOU', fixRightContext: false, charFeatureDropout: true },
  { staticWords: true, caseDim: 2, lstmLayers: 2, tagger: 'crf', decoder: 'viterbi', lmHidden: 3, relWidths: [1, 2, 3, 64], charWidths: [64] },
];

for (const config of SETTINGS)
  test(`the expected weights are the model's parameters: ${JSON.stringify(config)}`, () => {
    const { model, vocab } = tinyJointModel({ torchSeed: 1, train: [6, 1], config });
    const built = [...model.parameters()].map(([name, t]) => [name, t.shape]);
    const expected = [...expectedWeightShapes(model.config, vocab)];
    assert.deepEqual(expected, built);
  });
