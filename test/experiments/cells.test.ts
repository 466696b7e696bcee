/**
 * What makes a finished experiment cell the one asked for (experiments/nn/cells.ts): its settings and
 * budget, compared as resolved; the budget a resumed cell records; the one-line refusal.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { askedBudget, cellBudget, changedSettings, refuseChanged, settingsOf } from '../../experiments/nn/cells.js';
import { tempDir } from '../temp-dir.js';
import { userError } from '../user-error.js';

const root = join(import.meta.dirname, '..', '..');
const budget = (epochs: number, patience: number) => ({ epochs, patience });

test('settingsOf: key and value around the first =, trimmed, the later item winning', () => {
  assert.deepEqual(settingsOf(['seed=1', 'init="a=b"', ' epochs = 2 ', 'seed=3', 'junk']), { seed: '3', init: '"a=b"', epochs: '2' });
});

test('a finished cell asked with another budget differs (the 2-epoch trial taken for the real run)', () => {
  // The review's case: heldout-seed-1 finished with --set epochs=2; the real command has no epochs.
  const recorded = { settings: { seed: '1', threads: '1', epochs: '2' } };
  assert.deepEqual(changedSettings(recorded, { seed: '1' }, { seed: '1', threads: '1' }, budget(100, 20), budget(100, 20)), [['epochs', '2', '100']]);
  // Recorded since budgets are: the budget it ended with counts, whatever the settings say.
  const withBudget = { settings: { seed: '1' }, budget: budget(2, 20) };
  assert.deepEqual(changedSettings(withBudget, { seed: '1' }, { seed: '1' }, budget(100, 20), budget(100, 20)), [['epochs', '2', '100']]);
  assert.deepEqual(changedSettings(withBudget, { seed: '1' }, { seed: '1', epochs: '2' }, budget(2, 20), budget(100, 20)), []);
});

test('the same cell asked again is the same, whatever the thread count or how the budget is written', () => {
  const recorded = { settings: { seed: '1', threads: '1', 'adam.lr': '0.0001' } };
  assert.deepEqual(changedSettings(recorded, { seed: '1' }, { seed: '1', threads: '2', 'adam.lr': '1e-4' }, budget(100, 20), budget(100, 20)), []);
  // An old record without a budget ran with the one its settings name, else the study's own.
  assert.deepEqual(changedSettings({ settings: { seed: '1', epochs: '100' } }, { seed: '1' }, { seed: '1' }, budget(100, 20), budget(100, 20)), []);
  assert.deepEqual(changedSettings({ settings: { seed: '1' } }, { seed: '1' }, { seed: '1', epochs: '100' }, budget(100, 20), budget(100, 20)), []);
});

test('a setting added, removed or changed is named with both values', () => {
  const changes = changedSettings({ settings: { seed: '1', 'model.dropout': '0.4' } }, { seed: '1' }, { seed: '1', ema: '0.99' }, budget(8, 4), budget(8, 4));
  assert.deepEqual(changes, [['model.dropout', '0.4', undefined], ['ema', undefined, '0.99']]);
});

test("a setting the study pinned since the cell ran is taken as the cell's (seeds/seed-1 before PAPER_TAGGER)", () => {
  // experiments/nn/results.json: seeds/seed-1 recorded {seed, threads, epochs…}; the study now pins the paper's tagger.
  const own = { seed: '1', 'model.decoder': 'argmax', 'model.lstmHidden': '64' };
  assert.deepEqual(changedSettings({ settings: { seed: '1', threads: '1' } }, own, { ...own, threads: '1' }, budget(100, 20), budget(100, 20)), []);
  // The command line's own settings are not: one the record lacks differs.
  assert.deepEqual(changedSettings({ settings: { seed: '1' } }, own, { ...own, 'model.decoder': 'viterbi' }, budget(100, 20), budget(100, 20)), [['model.decoder', 'argmax', 'viterbi']]);
});

test('refuseChanged: one line naming the run directory, what differs and what to do', () => {
  refuseChanged('/x/runs/seed-1', [], 'another --out DIR');
  const e = userError(() => refuseChanged('/x/runs/seed-1', [['epochs', '2', '100'], ['ema', undefined, '0.99']], 'another --out DIR'));
  assert.match(e.message, /^\/x\/runs\/seed-1: finished with other settings than asked now \(epochs: 2 there, 100 now; ema: unset there, 0\.99 now\)/);
  assert.match(e.message, /another --out DIR, or remove the run directory/);
  assert.doesNotMatch(e.message, /\n/);
});

test('askedBudget: the config file, then the --set items, else the defaults', () => {
  const file = join(root, 'configs', 'conll04-mrt.json');
  assert.deepEqual(askedBudget(file, []), budget(30, 10));
  assert.deepEqual(askedBudget(file, ['epochs=8', 'patience=4', 'epochs=2']), budget(2, 4));
  const dir = tempDir('entrel-cells-');
  writeFileSync(join(dir, 'c.json'), '{"data": {}}');
  assert.deepEqual(askedBudget(join(dir, 'c.json'), []), budget(100, 20));
});

test('cellBudget: the budget a run ended with, and those a resume replaced (from its log)', () => {
  const dir = tempDir('entrel-cells-');
  const log = join(dir, 'train.log.jsonl');
  const lines = (...recs: object[]) => writeFileSync(log, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  lines({ type: 'start', config: { epochs: 2, patience: 20 } }, { type: 'epoch', epoch: 1 });
  assert.deepEqual(cellBudget(log, budget(2, 20)), budget(2, 20));
  // Started at 2 epochs, resumed after epoch 2 with the full budget.
  lines({ type: 'start', config: { epochs: 2, patience: 20 } }, { type: 'epoch', epoch: 2 }, { type: 'resume', after: 2, epochs: 100, patience: 20 });
  assert.deepEqual(cellBudget(log, budget(100, 20)), { ...budget(100, 20), replaced: [{ ...budget(2, 20), until: 2 }] });
  // A resume record of an older entrel holds no budget: the start's, if not the one now, is still told.
  lines({ type: 'start', config: { epochs: 2, patience: 20 } }, { type: 'resume', after: 2 });
  assert.deepEqual(cellBudget(log, budget(100, 20)), { ...budget(100, 20), replaced: [{ ...budget(2, 20), until: -1 }] });
  assert.deepEqual(cellBudget(join(dir, 'none.jsonl'), budget(8, 4)), budget(8, 4));
});
