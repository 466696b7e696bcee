/**
 * Scheduled sampling's k (config `scheduleK`, spec §2.8): p_gold = k / (k + exp(epoch / k)) is the chance
 * that a token's gold tag, not the predicted one, decides the candidate pairs fed to the relation model.
 * Review 15b finding 2: the plumbing from the config to the model went untested (the formula with k ≠ 1
 * is tested in test/model/relation-features.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/train/config.js';
import { buildNNSetup, nnTask } from '../../src/train/nn.js';
import { seededRng } from '../model/fixtures.js';

const tiny = fileURLToPath(new URL('fixtures/tiny.json', import.meta.url));

test("the config's scheduleK reaches the model: at a late epoch, k = 1e6 still feeds the gold tags' pairs, k = 1 the predicted ones", async () => {
  // Without the gold pairs added, the pairs fed are exactly those of the tags sampled.
  const pairsFed = async (scheduleK: number, epoch: number) => {
    const setup = await buildNNSetup(loadConfig(tiny, [`scheduleK=${scheduleK}`, 'addGoldPairs=false']), undefined, { quiet: true });
    const task = nnTask(setup);
    task.setTraining(true);
    const all = Array.from({ length: task.size }, (_, i) => i);
    return task.batchLoss(all, { epoch, rng: seededRng(3) }).pairs;
  };
  // Epoch −60: p_gold = 1 − 9e-27 for k = 1 too, so every tag is gold: one pair per training sentence.
  const gold = await pairsFed(1, -60);
  assert.ok(gold > 0, `the gold tags give pairs: ${gold}`);
  // Epoch 30: p_gold = 1 − 1e-6 for k = 1e6; 9e-14 for k = 1 (all tags predicted, by an untrained model).
  assert.equal(await pairsFed(1e6, 30), gold, 'k = 1e6 at epoch 30 feeds the gold pairs');
  assert.notEqual(await pairsFed(1, 30), gold, 'k = 1 at epoch 30 feeds the pairs of the predicted tags');
});
