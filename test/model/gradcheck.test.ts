/** Finite-difference check of the gradient of the whole joint loss L_ent + L_rel (float64, tiny model). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noGrad, tidy } from '../../src/tensor/index.js';
import { assertGradientsMatch } from './finite-differences.js';
import { seededRng } from './fixtures.js';
import { tinyJointModel } from './tiny-joint.js';

/** A float64 joint model without dropout, in eval mode, and one batch of its 4 training sentences. */
const tinyModel = (lstmLayers: number, tagger: 'softmax' | 'crf' = 'softmax', lmHidden = 0) =>
  tinyJointModel({ torchSeed: 5, train: [4, 9], dtype: 'float64', config: { lstmLayers, tagger, decoder: tagger === 'crf' ? 'viterbi' : 'argmax', lmHidden } });

for (const [normalization, lstmLayers, tagger, lmHidden] of [['batch', 1, 'softmax', 0], ['sentence', 1, 'softmax', 0], ['batch', 2, 'softmax', 0], ['batch', 1, 'crf', 0], ['sentence', 1, 'crf', 0], ['batch', 1, 'softmax', 3]] as const)
  test(`joint loss gradient matches finite differences (${normalization} normalisation, ${lstmLayers} BiLSTM layer(s), ${tagger}${lmHidden ? ', LM objective' : ''})`, () => {
    const { model, batch } = tinyModel(lstmLayers, tagger, lmHidden);
    // epoch −60: p_gold = 1 within float precision, so the candidate pairs never depend on the weights.
    const lossAt = () => noGrad(() => tidy(() => model.localLoss(batch, { epoch: -60, rng: seededRng(1), normalization }).loss.item()));
    const params = model.parameters();
    tidy(() => {
      const l = model.localLoss(batch, { epoch: -60, rng: seededRng(1), normalization });
      assert.ok(l.pairs > 0, 'l.pairs > 0');
      l.loss.backward();
    });
    const { checked, worst } = assertGradientsMatch(params, lossAt, { perParam: 3, eps: 1e-5, tol: 1e-4, floor: 1e-3, pick: seededRng(3) });
    if (tagger === 'crf') assert.ok(params.has('crf.transitions') && params.has('crf.start') && params.has('crf.end'), 'params.has(\'crf.transitions\') && params.has(\'crf.start\') && params.has(\'crf.end\')');
    if (lmHidden) assert.ok(params.has('lm_fwd.out.weight') && params.has('lm_bwd.hidden.weight'), 'params.has(\'lm_fwd.out.weight\') && params.has(\'lm_bwd.hidden.weight\')');
    console.log(`gradcheck ${normalization}, ${lstmLayers} layer(s), ${tagger}: ${checked} entries, worst relative error ${worst.toExponential(2)}`);
  });

test('entityWeight λ: L̃ = λ·L_ent + L_rel, with the same parts', () => {
  const { model, batch } = tinyModel(1);
  const at = (entityWeight?: number) =>
    noGrad(() => tidy(() => {
      const l = model.localLoss(batch, { epoch: -60, rng: seededRng(1), entityWeight });
      return [l.loss.item(), l.entLoss.item(), l.relLoss.item()];
    }));
  const [plain, ent, rel] = at();
  assert.ok(ent > 0 && rel > 0, 'ent > 0 && rel > 0');
  assert.ok(Math.abs(plain - (ent + rel)) < 1e-12, 'Math.abs(plain - (ent + rel)) < 1e-12');
  const [weighted, ent3, rel3] = at(3);
  assert.deepEqual([ent3, rel3], [ent, rel]);
  assert.ok(Math.abs(weighted - (3 * ent + rel)) < 1e-12, 'Math.abs(weighted - (3 * ent + rel)) < 1e-12');
});
