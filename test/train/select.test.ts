/**
 * Model selection (config `select`): which epoch's model becomes best/ and when patience stops the run,
 * on scripted dev scores where relation F1 peaks before the mean of entity and relation F1 does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/train/config.js';
import { runTraining } from '../../src/train/loop.js';
import { isBetter, selectionScore, type DevScores } from '../../src/train/select.js';
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

/** Dev scores in the order of the calls. */
class Scripted extends ToyTask {
  constructor(private readonly script: DevScores[]) {
    super();
  }
  override evaluateDev(): DevScores {
    return this.script.shift()!;
  }
}
const logLines = (dir: string) => readFileSync(join(dir, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('"relation" at 0 in every epoch keeps the epoch of the best entity F1 (not the untrained epoch 1), goes on to the budget, and says so once', async () => {
  const out = join(root, 'zero');
  const warnings: string[] = [];
  const script = [0, 0.2, 0.5, 0.5, 0.4, 0.3].map((entF1) => ({ entF1, relF1: 0 }));
  const res = await runTraining(new Scripted(script), toyConfig({ epochs: 6, patience: 2, select: 'relation' }), out, 'nn', { quiet: true, onWarning: (m) => warnings.push(m) });
  assert.equal(res.bestEpoch, 3, 'entity F1 breaks the tie at relation F1 0; an equal entity F1 later does not');
  assert.deepEqual(res.chosen, { epoch: 3, dev: { entF1: 0.5, relF1: 0 } });
  assert.equal(res.epochs, 6, 'patience does not count while the selection score is 0');
  assert.deepEqual(res.history.map((r) => r.best), [true, true, true, false, false, false]);
  const text = "dev strict relation F1 was 0 in every epoch, so best/ holds epoch 3's model, chosen on its entity F1 (50.00), and it finds no relation right; train on more data or for more epochs, or select on both scores (--set select=entity+relation)";
  assert.deepEqual(warnings, [`${out}: ${text}`]);
  const tail = logLines(out).slice(-2);
  assert.deepEqual(tail.map((r) => r.type), ['warning', 'end']);
  assert.equal(tail[0].message, text);
});

test('a run that finds nothing at all keeps epoch 1 and says so; a run whose score left 0 says nothing', async () => {
  const warnings: string[] = [];
  const nothing = [{ entF1: 0, relF1: 0 }, { entF1: 0, relF1: 0 }];
  const res = await runTraining(new Scripted(nothing), toyConfig({ epochs: 2, select: 'entity+relation' }), join(root, 'nothing'), 'nn', { quiet: true, onWarning: (m) => warnings.push(m) });
  assert.equal(res.bestEpoch, 1);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0], /: dev entity and strict relation F1 were 0 in every epoch, so best\/ holds epoch 1's model, which finds nothing right; train on more data or for more epochs, and check that the data's annotations are read \(entrel stats\)$/);
  warnings.length = 0;
  const out = join(root, 'left-zero');
  await runTraining(new Scripted([{ entF1: 0.4, relF1: 0 }, { entF1: 0.5, relF1: 0.1 }]), toyConfig({ epochs: 2 }), out, 'nn', { quiet: true, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, []);
  assert.ok(!logLines(out).some((r) => r.type === 'warning'), 'no warning line in the log');
});

test('"entity+relation" breaks a tie of the mean on relation F1; "relation" breaks one above 0 on entity F1', async () => {
  const mean = await runTraining(new Scripted([{ entF1: 0.5, relF1: 0.25 }, { entF1: 0.25, relF1: 0.5 }, { entF1: 0.5, relF1: 0.25 }]), toyConfig({ epochs: 3, select: 'entity+relation' }), join(root, 'tie-mean'), 'nn', { quiet: true });
  assert.equal(mean.bestEpoch, 2);
  const rel = await runTraining(new Scripted([{ entF1: 0.5, relF1: 0.25 }, { entF1: 0.75, relF1: 0.25 }, { entF1: 0.6, relF1: 0.25 }]), toyConfig({ epochs: 3 }), join(root, 'tie-rel'), 'nn', { quiet: true });
  assert.equal(rel.bestEpoch, 2);
});

test('isBetter: the selection score first, then the other score; nothing breaks a tie without the best\'s scores', () => {
  const best = { score: 0, dev: { entF1: 0.3, relF1: 0 } };
  assert.equal(isBetter({ entF1: 0.4, relF1: 0 }, best, 'relation'), true);
  assert.equal(isBetter({ entF1: 0.3, relF1: 0 }, best, 'relation'), false, 'an equal model is not better: the earlier is kept');
  assert.equal(isBetter({ entF1: 0, relF1: 0.1 }, best, 'relation'), true);
  assert.equal(isBetter({ entF1: 0.4, relF1: 0 }, { score: 0 }, 'relation'), false);
  assert.equal(isBetter({ entF1: 0, relF1: 0 }, { score: -1 }, 'relation'), true, 'the first evaluation is always kept');
  assert.equal(isBetter({ entF1: 0.25, relF1: 0.5 }, { score: 0.375, dev: { entF1: 0.5, relF1: 0.25 } }, 'entity+relation'), true);
  assert.equal(isBetter({ entF1: 0.5, relF1: 0.25 }, { score: 0.375, dev: { entF1: 0.25, relF1: 0.5 } }, 'entity+relation'), false);
});
