/**
 * Training with the user's own word vectors (config `embeddings`) instead of GloVe: the word matrix
 * starts from them, the model records the file, and every reader of the model (Extractor, evaluate,
 * info, a continued run) reads unseen words through the same file, or says why it cannot.
 */
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../../src/errors.js';
import { Extractor } from '../../src/extract/extractor.js';
import { readModelCard } from '../../src/extract/model-card.js';
import { formatModelCard } from '../../src/cli/model-card-text.js';
import { loadModelDir, saveModelDir } from '../../src/model/io.js';
import { modelOf } from '../../src/model/model-handle.js';
import { loadConfig } from '../../src/train/config.js';
import { buildNNSetup, buildSetupFrom, trainNN } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';
import { stderrOf } from '../stderr.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tiny = join(here, 'fixtures', 'tiny.json');
const root = tempDir('entrel-own-vectors-');
process.env.ENTREL_CACHE = join(root, 'cache');

// 8 dimensions as the tiny config's words; "initech" and "lagos" occur only in dev.
const WORDS = ['works', 'for', 'lives', 'in', 'mary', 'initech', 'lagos', 'globex'];
const vec = (i: number) => Array.from({ length: 8 }, (_, d) => ((i + 1) * (d + 1)) / 100);
const vectors = join(root, 'vectors.txt');
writeFileSync(vectors, `${WORDS.length} 8\n${WORDS.map((w, i) => `${w} ${vec(i).join(' ')}`).join('\n')}\n`);
const config = (sets: string[] = []) => loadConfig(tiny, ['glove=true', `embeddings=${JSON.stringify(vectors)}`, 'epochs=2', ...sets]);

function refusal(e: unknown, message: RegExp): true {
  assert.ok(isUserError(e), String(e));
  assert.match(e.message, message);
  return true;
}

test('the word matrix starts from the file: its words get their vectors, others random; the coverage is said', async () => {
  let s!: Awaited<ReturnType<typeof buildNNSetup>>;
  const warnings: string[] = [];
  const said = await stderrOf(async () => (s = await buildNNSetup(config(), undefined, { onWarning: (m) => warnings.push(m) })));
  assert.match(said, /^entrel: .*vectors\.txt: 6 of the 2\d training words have a vector \(2\d\.\d %\)$/m);
  assert.match(warnings.join('\n'), /vectors\.txt: fewer than half the training words have a vector/);
  const w = s.model.word.weight.toFloat64Array();
  const row = (word: string) => [...w.subarray(s.vocab.wordId(word) * 8, (s.vocab.wordId(word) + 1) * 8)];
  assert.deepEqual(row('works'), vec(0).map(Math.fround));
  assert.deepEqual(row('Mary'), vec(4).map(Math.fround), 'looked up lowercased');
  assert.notDeepEqual(row('Tokyo'), vec(0).map(Math.fround));
  assert.equal(s.vectors?.words, WORDS.length);
  // dev's unseen words read through the file (the extended vocabulary): id |V| + row.
  assert.equal(s.devEncoded[0].words[4], s.vocab.words.size + s.glove!.row('initech')!);
});

test('quiet: nothing on stderr, the warning to onWarning (a library caller that embeds training)', async () => {
  const warnings: string[] = [];
  const said = await stderrOf(() => trainNN(config(['epochs=1']), join(root, 'quiet'), { quiet: true, onWarning: (m) => warnings.push(m) }));
  assert.equal(said, '');
  // One epoch of the tiny data finds no relation: the loop says so too (select.ts), to onWarning as well.
  const [coverage, ...others] = warnings;
  assert.match(coverage, /vectors\.txt: fewer than half the training words have a vector/);
  assert.ok(others.every((m) => /: dev strict relation F1 (was|and entity F1 were) 0 in every epoch/.test(m)), JSON.stringify(warnings));
});

test('the dimension must be model.wordDim, and glove false excludes embeddings', async () => {
  await assert.rejects(buildNNSetup(config(['model.wordDim=6'])), (e) => refusal(e, /the word vectors have 8 dimensions but model\.wordDim is 6: set model\.wordDim=8/));
  await assert.rejects(buildNNSetup(config(['glove=false'])), (e) => refusal(e, /^embeddings: is read only with glove true/));
});

test('a trained model records its vectors; the Extractor, info and a continued run use them; moved, ENTREL_EMBEDDINGS finds them', async () => {
  const out = join(root, 'run');
  await trainNN(config(), out, { quiet: true });
  const best = join(out, 'best');
  const { meta } = loadModelDir(best);
  assert.deepEqual({ ...(meta.embeddings as object), bytes: 0, fingerprint: '' }, { file: vectors, bytes: 0, fingerprint: '', dim: 8, words: WORDS.length });
  assert.match(formatModelCard(readModelCard(best)), /^word vectors +.*vectors\.txt \(8 words, 8 dimensions\)\n +found there$/m);
  const ex = await Extractor.load(best, { workers: 0 });
  await ex.extract('Ali Khan lives in Lagos .');
  assert.equal(modelOf(ex.model).glove?.row('lagos'), WORDS.indexOf('lagos'), 'unseen words read through the model\'s own vectors');
  await ex.close();
  // A run continued from it keeps them, whatever the config says.
  const continued = await buildSetupFrom(loadConfig(tiny, [`init=${JSON.stringify(best)}`]), best, { quiet: true });
  assert.equal(continued.vectors?.file, vectors);
  assert.equal(continued.config.embeddings, vectors);
  assert.equal(continued.config.glove, true);

  const moved = join(root, 'elsewhere.txt');
  renameSync(vectors, moved);
  assert.match(formatModelCard(readModelCard(best)), /^word vectors +.*vectors\.txt \(8 words, 8 dimensions\)\n +not usable here: was trained with the word vectors .*which are not there nor in the model directory: put them at that path or into the model directory, .*ENTREL_EMBEDDINGS/m);
  await assert.rejects(Extractor.load(best), (e) => refusal(e, /best: was trained with the word vectors .*vectors\.txt, which are not there nor in the model directory: put them at that path or into the model directory, .*ENTREL_EMBEDDINGS/));
  process.env.ENTREL_EMBEDDINGS = moved;
  try {
    assert.match(formatModelCard(readModelCard(best)), /^ +found at .*elsewhere\.txt \(ENTREL_EMBEDDINGS\)$/m);
    const again = await Extractor.load(best, { workers: 0 });
    assert.equal((await again.extract('Mary Jones works for Initech .')).text, 'Mary Jones works for Initech .');
    await again.close();
    // A run continued from it records where the vectors are now, and keeps the model's path in its config
    // (what a resume compares: it must not depend on where ENTREL_EMBEDDINGS found them).
    const there = await buildSetupFrom(loadConfig(tiny, [`init=${JSON.stringify(best)}`]), best, { quiet: true });
    assert.deepEqual([there.vectors?.file, there.config.embeddings], [moved, vectors]);
  } finally {
    delete process.env.ENTREL_EMBEDDINGS;
    renameSync(moved, vectors);
  }
});

test('a model that does not say which vectors it had (the library\'s saveModelDir) is continued with the config\'s', async () => {
  const out = join(root, 'plain');
  await trainNN(loadConfig(tiny, ['epochs=1']), out, { quiet: true });
  const { model, schema } = loadModelDir(join(out, 'best'));
  const bare = join(root, 'bare');
  saveModelDir(bare, model, schema); // meta {}: no glove key
  const none = await buildSetupFrom(loadConfig(tiny, [`init=${JSON.stringify(bare)}`]), bare, { quiet: true });
  assert.equal(none.glove, undefined);
  const own = await buildSetupFrom(config([`init=${JSON.stringify(bare)}`]), bare, { quiet: true });
  assert.equal(own.vectors?.file, vectors);
  await assert.rejects(
    buildSetupFrom(loadConfig(tiny, [`init=${JSON.stringify(bare)}`, 'glove=true']), bare, { quiet: true }),
    (e) => refusal(e, /GloVe: the word vectors have 100 dimensions but the model in .*bare has 8: set glove=false, or embeddings to vectors of 8/),
  );
});
