/**
 * Config numbers that only fail inside the engine are one user-error line, not an internal error with a
 * stack: a learning rate libtorch cannot hold as a float32, a CNN window too wide to allocate.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';

const tiny = fileURLToPath(new URL('../train/fixtures/tiny.json', import.meta.url));
const dir = tempDir('entrel-train-errors-');

test('a learning rate beyond float32 is a user error naming what to lower', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'lr'), '--quiet', '--set', 'adam.lr=1e38', 'epochs=1');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^entrel: a setting is too large for float32 arithmetic \(libtorch's \w+ overflowed\): use a smaller learning rate or weight\n$/);
});

test('a relation CNN window too wide to allocate is out of memory, a user error', async () => {
  const r = await entrel('train', '--config', tiny, '--out', join(dir, 'wide'), '--quiet', '--set', 'model.relWidths=[1000000]', 'epochs=1');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^entrel: out of memory: .*use smaller model sizes or batchSize\n$/);
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
  assert.match(r.err, /already holds a training run: pass --resume/);
  const mrt = await entrel('train', '--mrt', '--init', out, '--config', tiny, '--out', out, '--quiet', '--set', set);
  assert.match(mrt.err, /already holds a training run: pass --resume/);
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
  assert.equal(inFile.err, `entrel: ${file}: data.dev: no such file or directory: /nonexistent/dev.json\n`, 'from the file: no (from --set)');
});
