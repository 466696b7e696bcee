/**
 * What makes a finished experiment cell the one asked for (experiments/nn/cells.ts): its settings and
 * budget, compared as resolved; the budget a resumed cell records; the one-line refusal.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { askedBudget, cellBudget, changedSettings, configResolver, refuseChanged, settingsOf } from '../../experiments/nn/cells.js';
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

// Review 11 F10: a default written out (`--set glove=true`, `mrt.K=2` beside a row's own `K=2`) was refused
// as another setting ("glove: unset there, true now"): settings now compare as the config resolves them.
const NN_CONFIG = join(root, 'configs', 'conll04.json');
const MRT_CONFIG = join(root, 'configs', 'conll04-mrt.json');
const PINNED = ['model.tagger=softmax', 'model.dropout=0.5'];

test('a default written out is the same cell, compared as the config resolves it (review 11 F10)', () => {
  const resolve = configResolver(NN_CONFIG, PINNED);
  const recorded = { settings: { seed: '1', threads: '1' }, budget: budget(100, 20) };
  const own = { seed: '1' };
  // glove is true by default; ema 0; the pinned dropout is 0.5; the file's BiLSTM is 128.
  const written: Record<string, string>[] = [{ glove: 'true' }, { ema: '0' }, { 'model.dropout': '0.5' }, { 'model.lstmHidden': '128' }, { 'adam.lr': '1e-3' }];
  for (const asked of written)
    assert.deepEqual(changedSettings(recorded, own, { ...own, ...asked }, budget(100, 20), budget(100, 20), resolve), [], JSON.stringify(asked));
  // Without the config to resolve them, as before: written out is different.
  assert.deepEqual(changedSettings(recorded, own, { ...own, glove: 'true' }, budget(100, 20), budget(100, 20)), [['glove', undefined, 'true']]);
});

test("an MRT row's own K=2 and --set mrt.K=2 are the same; K=3 of a Δ row is not, named with both values", () => {
  const resolve = configResolver(MRT_CONFIG, ['seed=1', 'epochs=8', 'patience=4']);
  const gammaRow = { delta: 'E+R', gamma: 'true', alpha: '1', mu: '1', K: '2' };
  const recorded = { settings: gammaRow, budget: budget(8, 4) };
  assert.deepEqual(changedSettings(recorded, gammaRow, { ...gammaRow, 'mrt.K': '2', 'mrt.epsilon': '0.1' }, budget(8, 4), budget(8, 4), resolve), []);
  // nn-continued has no K of its own: 2 is the config's default for it.
  assert.deepEqual(changedSettings({ settings: {}, budget: budget(8, 4) }, {}, { 'mrt.K': '2' }, budget(8, 4), budget(8, 4), resolve), []);
  // A Δ row runs with K = 3 (footnote 12 without Γ): mrt.K=2 is another run, shown with the value it had.
  const deltaRow = { delta: 'E', gamma: 'false', alpha: '0.0001', mu: '1', K: '3' };
  assert.deepEqual(changedSettings({ settings: deltaRow, budget: budget(8, 4) }, deltaRow, { ...deltaRow, 'mrt.K': '2' }, budget(8, 4), budget(8, 4), resolve), [['mrt.K', '3', '2']]);
  // The shortcut on one side only (a run recorded with K=3, asked with mrt.K=3): the same setting.
  const { K, ...withoutK } = deltaRow;
  assert.deepEqual(changedSettings({ settings: deltaRow, budget: budget(8, 4) }, {}, { ...withoutK, 'mrt.K': K }, budget(8, 4), budget(8, 4), resolve), []);
});

test('a real difference is still refused, a side that does not name the key shown with its value', () => {
  const resolve = configResolver(NN_CONFIG, PINNED);
  const recorded = { settings: { seed: '1' }, budget: budget(100, 20) };
  assert.deepEqual(changedSettings(recorded, { seed: '1' }, { seed: '1', ema: '0.99', glove: 'false' }, budget(100, 20), budget(100, 20), resolve), [['ema', '0', '0.99'], ['glove', 'true', 'false']]);
  const e = userError(() => refuseChanged('/x/runs/seed-1', [['ema', '0', '0.99']], 'another --out DIR'));
  assert.match(e.message, /\(ema: 0 there, 0\.99 now\)/);
  // The budget is compared as before, never taken from the resolved config.
  assert.deepEqual(changedSettings(recorded, { seed: '1' }, { seed: '1', glove: 'true' }, budget(2, 20), budget(100, 20), resolve), [['epochs', '100', '2']]);
});

test('settings asked now that do not load are that error; a record that no longer loads is compared as written', () => {
  const resolve = configResolver(MRT_CONFIG, ['seed=1']);
  const recorded = { settings: { K: '2' }, budget: budget(8, 4) };
  // `sampler` is no shortcut of the mrt block: training would stop on it, so does the check.
  const e = userError(() => changedSettings(recorded, { K: '2' }, { K: '2', sampler: 'tokens' }, budget(8, 4), budget(8, 4), resolve));
  assert.match(e.message, /conll04-mrt\.json: sampler: unknown key/);
  // A record with a key since gone from the schema: its settings as written decide.
  const old = { settings: { K: '2', oldKey: '1' }, budget: budget(8, 4) };
  assert.deepEqual(changedSettings(old, { K: '2' }, { K: '2', 'mrt.K': '2' }, budget(8, 4), budget(8, 4), resolve), [['oldKey', '1', undefined], ['mrt.K', undefined, '2']]);
});
