/**
 * Config numbers that only fail inside the engine are one user-error line, not an internal error with a
 * stack: a learning rate libtorch cannot hold as a float32, a CNN window too wide to allocate.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';

const tiny = fileURLToPath(new URL('../train/fixtures/tiny.json', import.meta.url));
const bundled = fileURLToPath(new URL('../../models/conll04', import.meta.url));
const dir = tempDir('entrel-train-errors-');

test('a learning rate beyond float32 is a user error naming what to lower', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'lr'), '--quiet', '--set', 'adam.lr=1e38', 'epochs=1');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^entrel: a setting is too large for float32 arithmetic \(libtorch's \w+ overflowed\): use a smaller learning rate or weight\n$/);
});

test('a relation CNN window wider than any model has is refused naming the setting, before anything is allocated', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'wide'), '--quiet', '--set', 'model.relWidths=[1000000]', 'epochs=1');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^entrel: .*tiny\.json: model\.relWidths\[0\]: expected a window width of at most 64, got 1000000.*\n$/);
});

test('an --out that holds a run is refused before any data is read', async () => {
  const out = join(dir, 'taken');
  mkdirSync(join(out, 'best'), { recursive: true });
  // The training file is not a corpus: reading data first would report that instead.
  const bad = join(dir, 'not-a-corpus.json');
  writeFileSync(bad, 'not JSON');
  const set = `data.train=${JSON.stringify(bad)}`;
  const r = await entrel('train', '--config', tiny, '--out', out, '--quiet', '--set', set, 'epochs=1');
  assert.equal(r.code, 1, r.err);
  // A model without its checkpoint (best/ alone): --resume has nothing to continue, so it is not offered.
  assert.match(r.err, /holds a trained model \(best\/\) but no checkpoint to continue it from \(no last\/\): move it away/);
  const mrt = await entrel('train', '--mrt', '--init', out, '--config', tiny, '--out', out, '--quiet', '--set', set);
  assert.match(mrt.err, /holds a trained model \(best\/\) but no checkpoint/);
  // so is a thread count the machine cannot run (it was refused after the data was read)
  const threads = 4 * availableParallelism() + 1;
  const crawl = await entrel('train', '--config', tiny, '--out', join(dir, 'crawl'), '--quiet', '--set', set, `threads=${threads}`);
  assert.equal(crawl.code, 1, crawl.err);
  assert.match(crawl.err, new RegExp(`^entrel: threads: ${threads} is more than 4 times the \\d+ cores of this machine`));
});

test('a data file that does not exist is named by its config key, the config file and the --set that gave it, before training starts', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'nodata'), '--quiet', '--set', 'data.dev="/nonexistent/dev.json"');
  assert.equal(r.code, 1, r.err);
  assert.equal(r.err, `entrel: ${tiny}: data.dev: no such file or directory: /nonexistent/dev.json (from --set)\n`);
  const list = await entrel('train', '--config', tiny, '--out', join(dir, 'nodata2'), '--quiet', '--set', `data.train=[${JSON.stringify(tiny)},"/nonexistent/b.json"]`);
  assert.match(list.err, /: data\.train\[1\]: no such file or directory: \/nonexistent\/b\.json \(from --set\)\n$/);
  const vectors = await entrel('train', '--config', tiny, '--out', join(dir, 'novectors'), '--quiet', '--set', 'glove=true', 'embeddings=/nonexistent/vectors.txt');
  assert.equal(vectors.err, `entrel: ${tiny}: embeddings: no such file: /nonexistent/vectors.txt (from --set)\n`);
  const file = join(dir, 'missing-data.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(tiny, 'utf8')), data: { train: tiny, dev: '/nonexistent/dev.json' } }));
  const inFile = await entrel('train', '--config', file, '--out', join(dir, 'nodata3'), '--quiet');
  assert.equal(inFile.err, `entrel: ${file}:1: data.dev: no such file or directory: /nonexistent/dev.json\n`, 'from the file: its line, no (from --set)');
});

test('MRT settings given with --set to a run without MRT are refused, not ignored', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'mrt-keys'), '--quiet', '--set', 'epochs=1', 'K=3');
  assert.equal(r.code, 1, r.err);
  assert.equal(r.err, 'entrel: --set: K=3: only minimum risk training (--init DIR, without --local) reads it, and this run trains with the local loss alone\n');
  const local = await entrel('train', '--config', tiny, '--init', bundled, '--local', '--out', join(dir, 'mrt-keys-local'), '--quiet', '--set', 'mrt.mu=0.5');
  assert.match(local.err, /^entrel: --set: mrt\.mu=0\.5: only minimum risk training/);
  const cv = await entrel('crossval', '--config', tiny, '--data', tiny, '--out', join(dir, 'mrt-keys-cv'), '--quiet', '--set', 'alpha=2');
  assert.equal(cv.code, 1, cv.err);
  assert.equal(cv.err, 'entrel: --set: alpha=2: only minimum risk training reads it, and cross-validation trains each fold with the local loss\n');
  // …or in the config file (it trained as plain NN without a word)
  const withMrt = join(dir, 'tiny-mrt.json');
  writeFileSync(withMrt, JSON.stringify({ ...JSON.parse(readFileSync(tiny, 'utf8')), data: { train: join(dirname(tiny), 'tiny-train.json'), dev: join(dirname(tiny), 'tiny-dev.json') }, mrt: { K: 7 } }));
  const file = await entrel('train', '--config', withMrt, '--out', join(dir, 'mrt-keys-file'), '--quiet', '--set', 'epochs=1');
  assert.equal(file.code, 1, file.err);
  assert.equal(file.err, `entrel: ${withMrt}:1: mrt: only minimum risk training (--init DIR, without --local) reads it, and this run trains with the local loss alone\n`);
  const cvFile = await entrel('crossval', '--config', withMrt, '--data', tiny, '--out', join(dir, 'mrt-keys-cv-file'), '--quiet');
  assert.equal(cvFile.err, `entrel: ${withMrt}:1: mrt: only minimum risk training reads it, and cross-validation trains each fold with the local loss\n`);
});

test('a data path that is a directory, for a format that reads a file, is named by its config key', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'dir-data'), '--quiet', '--set', `data.train=${JSON.stringify(dir)}`);
  assert.equal(r.code, 1, r.err);
  assert.equal(r.err, `entrel: ${tiny}: data.train: is a directory: ${dir} (data.format unified reads a file; a directory is read as a brat project) (from --set)\n`);
});

test('--quiet leaves the word-vector coverage note out; a warning still shows, as before', async () => {
  const vectors = join(dir, 'vectors.txt');
  writeFileSync(vectors, '2 8\nworks 1 2 3 4 5 6 7 8\nfor 1 2 3 4 5 6 7 8\n');
  const args = ['train', '--config', tiny, '--set', 'epochs=1', 'glove=true', `embeddings=${JSON.stringify(vectors)}`];
  const loud = await entrel(...args, '--out', join(dir, 'vectors-loud'));
  assert.match(loud.err, /vectors\.txt: 2 of the \d+ training words have a vector/);
  const quiet = await entrel(...args, '--out', join(dir, 'vectors-quiet'), '--quiet');
  assert.equal(quiet.code, 0, quiet.err);
  const [coverage, ...others] = quiet.err.trimEnd().split('\n');
  assert.equal(coverage, `entrel: ${vectors}: warning: fewer than half the training words have a vector; are they of the corpus's language, and its tokenization?`);
  // One epoch of the tiny data finds nothing: the run's end says so (src/train/select.ts), --quiet or not.
  assert.deepEqual(others.map((l) => /^entrel: .*vectors-quiet: warning: dev .* 0 in every epoch, so best\/ holds epoch 1's model/.test(l)), others.map(() => true), quiet.err);
});

test("predict --gold-entities says which of the data's entities the model cannot be given, as evaluate does", async () => {
  const data = join(dir, 'renamed.json');
  writeFileSync(data, JSON.stringify([{ tokens: ['Mary', 'Jones', 'works', 'for', 'Globex', '.'], entities: [[0, 2, 'Person'], [4, 5, 'Org']], relations: [[0, 2, 4, 5, 'Work_For']] }]));
  const p = await entrel('predict', '--data', data, '--format', 'unified', '--gold-entities', '--out', join(dir, 'renamed-pred.jsonl'));
  assert.equal(p.code, 0, p.err);
  assert.match(p.err, new RegExp(`^entrel: ${data}: warning: entity type "Person" the model in .*conll04 does not know: its 1 entity in the data cannot be given to the model, so the predictions lack it and its relations\n`));
  const e = await entrel('evaluate', '--data', data, '--format', 'unified', '--gold-entities', '--out', join(dir, 'renamed-eval.json'));
  assert.match(e.err, new RegExp(`^entrel: ${data}: warning: entity type "Person" the model in .*conll04 does not know: they cannot be predicted`));
});

test("train --OPTION's hint names the config key the option means, and no key where none does", async () => {
  const said = async (...option: string[]) => {
    const r = await entrel('train', '--config', tiny, '--out', join(dir, 'options'), ...option);
    assert.equal(r.code, 1, r.err);
    return r.err;
  };
  const hint = (option: string, keys: string) => `entrel: unknown option '${option}'; config keys are set with --set, e.g. --set ${keys} (see entrel train --help)\n`;
  assert.equal(await said('--types', 'sp_types.json'), hint('--types', 'data.types=…'));
  assert.equal(await said('--format', 'unified'), hint('--format', 'data.format=…'));
  assert.equal(await said('--split', 'dev'), hint('--split', 'data.devSplit=… or data.testSplit=…'));
  assert.equal(await said('--tokenizer', 'ptb'), hint('--tokenizer', 'model.tokenizer=…'));
  assert.equal(await said('--brat-layout', 'lines'), hint('--brat-layout', 'data.bratLayout=…'));
  assert.equal(await said('--ace05'), hint('--ace05', 'data.ace05=…'));
  assert.equal(await said('--dropout', '0.3'), hint('--dropout', 'model.dropout=…'));
  assert.equal(await said('--gold', 'x.json'), "entrel: unknown option '--gold' (see entrel train --help)\n", 'no key is named gold');
});
