/** The language-model objective (`model.lmHidden`, Rei 2017): its targets, its halves of h, and γ. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAD } from '../../src/model/vocab.js';
import { noGrad, tensor, tidy } from '../../src/tensor/index.js';
import { seededRng } from './fixtures.js';
import { tinyJointModel } from './tiny-joint.js';

const tinyModel = (lmHidden: number) => tinyJointModel({ torchSeed: 7, train: [5, 4], dtype: 'float64', config: { lmHidden } });

test('L̃ + γ·L_lm: the forward state predicts the next word, the backward state the previous one, PAD past the ends', () => {
  const { model, batch } = tinyModel(3);
  const H = model.config.lstmHidden;
  const { size: B, maxLen: T, lengths } = batch;
  noGrad(() =>
    tidy(() => {
      const h = model.encode(batch).h.toArray() as number[][][];
      // −log softmax(head(state))[target], by hand over every real token
      const nll = (head: 'fwd' | 'bwd', state: number[], target: number) => {
        const logits = (model.lm![head].forward(tensor([state], { dtype: 'float64' })).toArray() as number[][])[0];
        const m = Math.max(...logits);
        const lse = m + Math.log(logits.reduce((a, x) => a + Math.exp(x - m), 0));
        return lse - logits[target];
      };
      let fwd = 0;
      let bwd = 0;
      let n = 0;
      for (let b = 0; b < B; b++)
        for (let i = 0; i < lengths[b]; i++, n++) {
          const next = i + 1 < lengths[b] ? batch.words[b * T + i + 1] : PAD;
          const prev = i > 0 ? batch.words[b * T + i - 1] : PAD;
          fwd += nll('fwd', h[b][i].slice(0, H), next);
          bwd += nll('bwd', h[b][i].slice(H), prev);
        }
      const expected = fwd / n + bwd / n;
      const l = model.localLoss(batch, { epoch: -60, rng: seededRng(1), lmWeight: 0.25 });
      assert.ok(Math.abs(l.lmLoss!.item() - expected) < 1e-9, `${l.lmLoss!.item()} vs ${expected}`);
      const plain = l.entLoss.item() + l.relLoss.item();
      assert.ok(Math.abs(l.loss.item() - (plain + 0.25 * expected)) < 1e-9, 'Math.abs(l.loss.item() - (plain + 0.25 * expected)) < 1e-9');
      const off = model.localLoss(batch, { epoch: -60, rng: seededRng(1), lmWeight: 0 });
      assert.equal(off.lmLoss, undefined);
      assert.ok(Math.abs(off.loss.item() - plain) < 1e-12, 'Math.abs(off.loss.item() - plain) < 1e-12');
    }),
  );
});

test('lmHidden 0 (the paper): no LM heads, no LM loss, whatever γ', () => {
  const { model, batch } = tinyModel(0);
  assert.equal(model.lm, undefined);
  assert.ok(![...model.parameters().keys()].some((k) => k.startsWith('lm_')), '![...model.parameters().keys()].some((k) => k.startsWith(\'lm_\'))');
  const l = noGrad(() => tidy(() => model.localLoss(batch, { epoch: -60, rng: seededRng(1), lmWeight: 1 })));
  assert.equal(l.lmLoss, undefined);
});
