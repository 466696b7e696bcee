/**
 * A resume on data that changed since the checkpoint is refused by the checks on the settings and the data
 * digests, naming the file and the key, also when the change brought a new word: the vocabulary, and with it
 * the shape of the word embedding, then differs from the checkpoint's, and the checks must come before the
 * weights are read (it was "parameter word.weight has shape [83,100] but the model needs [85,100]").
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../../src/errors.js';
import { loadConfig } from '../../src/train/config.js';
import { trainNN } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const root = tempDir('entrel-resume-data-');

/** The tiny training and dev files in `dir`. */
function data(dir: string): { train: string; dev: string } {
  mkdirSync(dir, { recursive: true });
  const [train, dev] = [join(dir, 'train.json'), join(dir, 'dev.json')];
  cpSync(join(fixtures, 'tiny-train.json'), train);
  cpSync(join(fixtures, 'tiny-dev.json'), dev);
  return { train, dev };
}

/** Adds a sentence of words the training file did not have ("Nobody lives in Oslo."). */
function addNewWords(file: string): void {
  const records = JSON.parse(readFileSync(file, 'utf8'));
  records.push({ tokens: ['Nobody', 'lives', 'in', 'Oslo', '.'], entities: [[3, 4, 'Loc']], relations: [] });
  writeFileSync(file, JSON.stringify(records));
}

const config = (files: { train: string; dev: string }, epochs: number) =>
  loadConfig(join(fixtures, 'tiny.json'), [`epochs=${epochs}`, `data.train=${files.train}`, `data.dev=${files.dev}`]);

/** The one-line refusal, starting with `start`, and not about a weight's shape. */
function refused(start: string): (e: unknown) => true {
  return (e) => {
    assert.ok(isUserError(e), String(e));
    assert.ok(e.message.startsWith(start), e.message);
    assert.doesNotMatch(e.message, /shape|\n/);
    return true;
  };
}

test('a resume after the training data gained a word names the changed file and key, not a weight shape', async () => {
  const files = data(join(root, 'new-word'));
  const out = join(root, 'new-word', 'run');
  await trainNN(config(files, 1), out, { quiet: true });
  addNewWords(files.train);
  await assert.rejects(trainNN(config(files, 2), out, { quiet: true, resume: true }),
    refused(`${files.train}: changed since the checkpoint in ${join(out, 'last')} (data.train: other documents or annotations than the run was trained on so far): restore it to resume, or train on it into a new --out`));
});

test('a resume with data.train pointed at another directory holding other data names the setting, not a weight shape', async () => {
  const files = data(join(root, 'first'));
  const out = join(root, 'moved-run');
  await trainNN(config(files, 1), out, { quiet: true });
  const other = data(join(root, 'second'));
  addNewWords(other.train);
  await assert.rejects(trainNN(config({ ...files, train: other.train }, 2), out, { quiet: true, resume: true }),
    refused(`${join(out, 'last')}: cannot resume with a different "data.train" ("${files.train}" in the checkpoint, "${other.train}" now)`));
});
