/**
 * Model selection (config `select`): which epoch's model becomes best/ and when patience stops the run,
 * on scripted dev scores where relation F1 peaks before the mean of entity and relation F1 does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/train/config.js';
import { runTraining, selectionScore, type DevScores } from '../../src/train/loop.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';

/** Epoch by epoch: relation F1 is best at epoch 2; entity F1 climbs on, so the mean is best at epoch 4. */
const SCRIPT: DevScores[] = [
  { entF1: 0.5, relF1: 0.2 },
  { entF1: 0.7, relF1: 0.5 },
  { entF1: 0.8, relF1: 0.45 },
  { entF1: 0.9, relF1: 0.48 },
  { entF1: 0.6, relF1: 0.3 },
  { entF1: 0.6, relF1: 0.3 },
];

class ScriptedDev extends ToyTask {
  private calls = 0;
  override evaluateDev(): DevScores {
    return SCRIPT[this.calls++];
  }
}

const root = tempDir('entrel-select-');

test('"relation" keeps the epoch of the best dev relation F1 and counts patience from it', async () => {
  const res = await runTraining(new ScriptedDev(), toyConfig({ epochs: 6, patience: 2, select: 'relation' }), join(root, 'rel'), 'nn', { quiet: true });
  assert.equal(res.bestEpoch, 2);
  assert.equal(res.bestScore, 0.5);
  assert.equal(res.epochs, 4, 'two epochs without a better relation F1 stop the run');
  assert.deepEqual(res.history.map((r) => r.best), [true, true, false, false]);
});

test('"entity+relation" keeps the epoch of the best mean and logs it at the end', async () => {
  const out = join(root, 'mean');
  const res = await runTraining(new ScriptedDev(), toyConfig({ epochs: 6, patience: 2, select: 'entity+relation' }), out, 'nn', { quiet: true });
  assert.equal(res.bestEpoch, 4);
  assert.equal(res.bestScore, (0.9 + 0.48) / 2);
  assert.equal(res.epochs, 6);
  const end = readFileSync(join(out, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).pop();
  assert.deepEqual([end.type, end.bestEpoch, end.select, end.reason], ['end', 4, 'entity+relation', 'patience']);
});

test('selectionScore and the config value', () => {
  assert.equal(selectionScore({ entF1: 0.8, relF1: 0.4 }, 'relation'), 0.4);
  assert.equal(selectionScore({ entF1: 0.8, relF1: 0.4 }, 'entity+relation'), (0.8 + 0.4) / 2);
  assert.equal(parseConfig({ data: { train: 'x', dev: 'y' } }, 'c').select, 'relation', 'the paper selects on relation F1');
  assert.throws(() => parseConfig({ data: { train: 'x', dev: 'y' }, select: 'entity' }, 'c.json'), /select.*expected "relation" or "entity\+relation"/s);
});
