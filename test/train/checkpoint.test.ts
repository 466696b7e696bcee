/**
 * What a resume reads is checked: the checkpoint's files against their checksums, state.json's fields by
 * name, the training data against the digests the run started with; and what the run says it kept
 * (`chosen`) is the model best/ holds, also when a validation within an epoch chose it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../../src/errors.js';
import { loadConfig } from '../../src/train/config.js';
import { runTraining, type DevScores } from '../../src/train/loop.js';
import { trainNN } from '../../src/train/nn.js';
import { ToyTask, toyConfig } from './toy-task.js';
import { tempDir } from '../temp-dir.js';
import { stderrOf } from '../stderr.js';

const root = tempDir('entrel-checkpoint-');
const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));

/** A finished two-epoch toy run, copied for each case to damage. */
const base = join(root, 'base');
const done = runTraining(new ToyTask(), toyConfig({ epochs: 2 }), base, 'nn', { quiet: true });
async function copyOfRun(name: string): Promise<string> {
  await done;
  const dir = join(root, name);
  cpSync(base, dir, { recursive: true });
  return dir;
}

const resume = (dir: string) => runTraining(new ToyTask(), toyConfig({ epochs: 3 }), dir, 'nn', { quiet: true, resume: true });

/** The checksum file as the checkpoint writes it, renewed after an edit: the fault reaches the checks behind it. */
function renewChecksum(last: string): void {
  const files = ['weights.safetensors', 'optimizer.safetensors', 'state.json'];
  writeFileSync(join(last, 'checksum'), files.map((f) => `${createHash('sha256').update(readFileSync(join(last, f))).digest('hex')}  ${f}\n`).join(''));
}

test("a state.json damaged into other valid JSON is refused naming the file and the field, not resumed or an internal error", async () => {
  const cases: [string, (s: Record<string, unknown>) => void][] = [
    ['torchRng', (s) => (s.torchRng = 'AAAA')],
    ['rng', (s) => (s.rng = [1, 2])],
    ['history', (s) => delete s.history],
    ['config', (s) => delete s.config],
    ['epoch', (s) => (s.epoch = '2')],
    ['history', (s) => (s.epoch = 3)],
    ['bestScore', (s) => (s.bestScore = 7)],
  ];
  for (const [i, [field, edit]] of cases.entries()) {
    const dir = await copyOfRun(`state-${i}`);
    const file = join(dir, 'last', 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    edit(state);
    writeFileSync(file, JSON.stringify(state));
    renewChecksum(join(dir, 'last'));
    await assert.rejects(resume(dir), (e: unknown) => {
      assert.ok(isUserError(e), `${field}: ${String(e)}`);
      assert.ok(e.message.startsWith(`${file}: ${field}: `), e.message);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  }
});

test('a flipped byte in any checkpoint file is refused by its checksum, naming the file and what to do', async () => {
  for (const name of ['weights.safetensors', 'optimizer.safetensors', 'state.json']) {
    const dir = await copyOfRun(`flip-${name}`);
    const file = join(dir, 'last', name);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0x10;
    writeFileSync(file, bytes);
    await assert.rejects(resume(dir), (e: unknown) =>
      isUserError(e) && e.message.startsWith(`${file}: checksum mismatch: `) && /train again into a new --out/.test(e.message));
  }
});

test('a checkpoint written with checksums whose checksum file is gone is refused naming it; one from before checksums still resumes', async () => {
  const dir = await copyOfRun('checksum-deleted');
  const sums = join(dir, 'last', 'checksum');
  const stateFile = join(dir, 'last', 'state.json');
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).checksums, true, 'state.json marks the checkpoint as written with checksums');
  rmSync(sums);
  // It resumed unchecked: a deleted checksum file turned the verification off.
  await assert.rejects(resume(dir), (e: unknown) => {
    assert.ok(isUserError(e), String(e));
    assert.equal(e.message, `${sums}: missing: the checkpoint was written with this file (its state.json says "checksums": true), so its files cannot be verified and the run cannot resume from it: train again into a new --out (best/ beside it holds the best model so far)`);
    return true;
  });
  // A checkpoint of an entrel from before checksums: no file, no mark. It resumes, and its next checkpoint has both.
  const old = await copyOfRun('no-checksum');
  const oldState = join(old, 'last', 'state.json');
  const state = JSON.parse(readFileSync(oldState, 'utf8'));
  delete state.checksums;
  writeFileSync(oldState, JSON.stringify(state, null, 1) + '\n');
  rmSync(join(old, 'last', 'checksum'));
  assert.equal((await resume(old)).epochs, 3);
  assert.ok(existsSync(join(old, 'last', 'checksum')), 'the resumed run wrote a checksum file');
  assert.equal(JSON.parse(readFileSync(oldState, 'utf8')).checksums, true, 'and marked its checkpoint');
});

test('an unreadable checkpoint file is named as one (it was "cannot read this model file"), and a garbled checksum line is refused, not skipped', async () => {
  const dir = await copyOfRun('unreadable');
  const file = join(dir, 'last', 'optimizer.safetensors');
  rmSync(file);
  mkdirSync(file);
  await assert.rejects(resume(dir), (e: unknown) => isUserError(e) && e.message.startsWith(`${file}: cannot read this checkpoint file: it is a directory`));
  const garbled = await copyOfRun('garbled');
  const sums = join(garbled, 'last', 'checksum');
  writeFileSync(sums, `${readFileSync(sums, 'utf8')}not a checksum line\n`);
  await assert.rejects(resume(garbled), (e: unknown) => isUserError(e) && e.message === `${sums}:4: malformed line "not a checksum line" (expected "<sha256 hex>  <file name>")`);
});

/** Dev scores in order of the calls; a toy epoch (40 sentences, batches of 8) with validateEvery 16 scores dev at 16, 32 and its end. */
class ScriptedDev extends ToyTask {
  constructor(private readonly script: DevScores[]) {
    super();
  }
  override evaluateDev(): DevScores {
    return this.script.shift()!;
  }
}
const f1 = (x: number): DevScores => ({ entF1: x, relF1: x });

test('the result says where the kept model was chosen and its scores: within an epoch, also after a resume', async () => {
  const out = join(root, 'within');
  const config = (epochs: number) => toyConfig({ epochs, validateEvery: 16 });
  const first = await runTraining(new ScriptedDev([f1(0.2), f1(0.6), f1(0.3)]), config(1), out, 'nn', { quiet: true });
  assert.deepEqual(first.chosen, { epoch: 1, sentences: 32, dev: f1(0.6) }, 'not the end of epoch 1 (0.3)');
  const resumed = await runTraining(new ScriptedDev([f1(0.4), f1(0.5), f1(0.55)]), config(2), out, 'nn', { quiet: true, resume: true });
  assert.equal(resumed.bestEpoch, 1);
  assert.deepEqual(resumed.chosen, { epoch: 1, sentences: 32, dev: f1(0.6) });
});

test("a checkpoint of an earlier entrel (no `chosen` in state.json) resumes, and breaks a tie at relation F1 0 on its best epoch's entity F1", async () => {
  const out = join(root, 'no-chosen');
  const rel0 = (entF1: number): DevScores => ({ entF1, relF1: 0 });
  await runTraining(new ScriptedDev([rel0(0.2), rel0(0.5)]), toyConfig({ epochs: 2 }), out, 'nn', { quiet: true });
  const file = join(out, 'last', 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(state.chosen, { epoch: 2, dev: rel0(0.5) });
  delete state.chosen;
  writeFileSync(file, JSON.stringify(state, null, 1) + '\n');
  renewChecksum(join(out, 'last'));
  // Epoch 3 finds fewer entities than epoch 2 (read from its history), epoch 4 more.
  const res = await runTraining(new ScriptedDev([rel0(0.4), rel0(0.6)]), toyConfig({ epochs: 4 }), out, 'nn', { quiet: true, resume: true, onWarning: () => {} });
  assert.deepEqual(res.history.map((r) => r.best), [true, true, false, true]);
  assert.deepEqual(res.chosen, { epoch: 4, dev: rel0(0.6) });
});

test('threads beyond the cores are warned of; beyond 4 times the cores, refused', async () => {
  const cores = availableParallelism();
  const warnings: string[] = [];
  await runTraining(new ToyTask(), toyConfig({ epochs: 1, threads: cores + 1 }), join(root, 'threads-warned'), 'nn', { quiet: true, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, [`threads ${cores + 1} is more than the ${cores} cores of this machine: training runs slower than with threads ${cores}`]);
  await assert.rejects(
    runTraining(new ToyTask(), toyConfig({ epochs: 1, threads: 4 * cores + 1 }), join(root, 'threads-refused'), 'nn', { quiet: true }),
    (e: unknown) => isUserError(e) && e.message.startsWith(`threads: ${4 * cores + 1} is more than 4 times the ${cores} cores of this machine`) && e.message.endsWith(`at most ${cores}`),
  );
});

test('a resume refuses training or dev data changed since the checkpoint (a relabelling keeps the vocabulary), naming the file', async () => {
  const dir = join(root, 'data-changed');
  const [train, dev] = [join(dir, 'train.json'), join(dir, 'dev.json')];
  cpSync(join(fixtures, 'tiny-train.json'), train);
  cpSync(join(fixtures, 'tiny-dev.json'), dev);
  const config = (epochs: number) => loadConfig(join(fixtures, 'tiny.json'), [`epochs=${epochs}`, `data.train=${train}`, `data.dev=${dev}`]);
  const out = join(dir, 'run');
  await trainNN(config(1), out, { quiet: true });
  // Same words, other labels: an entity's type changed.
  const relabel = (file: string) => {
    const records = JSON.parse(readFileSync(file, 'utf8'));
    const e = records[0].entities[0];
    e[2] = e[2] === 'Org' ? 'Loc' : 'Org';
    writeFileSync(file, JSON.stringify(records));
  };
  const original = readFileSync(train);
  relabel(train);
  await assert.rejects(trainNN(config(2), out, { quiet: true, resume: true }), (e: unknown) =>
    isUserError(e) && e.message.startsWith(`${train}: changed since the checkpoint in ${join(out, 'last')} (data.train: other documents or annotations than the run was trained on so far)`));
  writeFileSync(train, original);
  relabel(dev);
  await assert.rejects(trainNN(config(2), out, { quiet: true, resume: true }), (e: unknown) =>
    isUserError(e) && e.message.startsWith(`${dev}: changed since the checkpoint in ${join(out, 'last')} (data.dev: other documents or annotations than the run selected its models on so far)`));
});

test('a resume with no checkpoint to resume from says so to onWarning (not stderr), and starts a new run', async () => {
  const warnings: string[] = [];
  const said = await stderrOf(async () => {
    const out = join(root, 'nothing-to-resume');
    const r = await runTraining(new ToyTask(), toyConfig({ epochs: 1 }), out, 'nn', { quiet: true, resume: true, onWarning: (m) => warnings.push(m) });
    assert.equal(r.epochs, 1);
    assert.deepEqual(warnings, [`${join(out, 'last')}: no checkpoint to resume from: starting a new run`]);
  });
  assert.equal(said, '');
});
