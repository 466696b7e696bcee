/**
 * README's "Your own data, step by step", run as a user runs it (tiny settings, so it takes seconds): a
 * brat project is split, trained on, scored with the error analysis, predicted, drawn against gold, and
 * used and packaged — every step reading what the one before it wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, ROOT, tmp } from '../data/helpers.js';

const main = new URL('../../src/cli/main.ts', import.meta.url).href;

function entrel(...args: string[]): string {
  const code = `import { run } from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ENTREL_THREADS: '1' },
  });
  assert.equal(r.status, 0, `entrel ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
}

test('a brat project: split, train, evaluate --errors, predict, view against gold, calibrate, info, extract, package', () => {
  const w = tmp();
  // 1. A brat project (made from CoNLL04's dev split: 231 one-sentence documents).
  entrel('convert', '--from', 'unified', '--to', 'brat', join(DATA, 'conll04', 'unified_two_are_better', 'valid.CoNLL04.json'), join(w, 'project'));
  // 2. Train, dev and test parts by whole documents.
  const split = JSON.parse(entrel('split', join(w, 'project'), '--out', join(w, 'data'), '--to', 'jsonl', '--json'));
  assert.deepEqual(split.parts.map((p: { documents: number }) => p.documents), [185, 23, 23]);
  // 3. Train with the CoNLL04 settings on the user's files (tiny sizes and 3 epochs here).
  const data = ['train', 'dev', 'test'].map((p) => `data.${p}=${join(w, 'data', `${p}.jsonl`)}`);
  const tiny = ['model.lstmHidden=8', 'model.wordDim=20', 'model.charFilters=4', 'model.relFilters=4', 'model.mlpHidden=8', 'glove=false', 'epochs=3'];
  entrel('train', '--config', 'configs/conll04.json', '--set', ...data, 'data.format=jsonl', ...tiny, '--out', join(w, 'run'), '--quiet');
  const best = join(w, 'run', 'best');
  // 4. Score on test, with the error analysis: the categories add up to the errors.
  const test = join(w, 'data', 'test.jsonl');
  assert.match(entrel('evaluate', '--model', best, '--data', test, '--errors'), /^Relation errors \(strict\) by category/m);
  const report = JSON.parse(entrel('evaluate', '--model', best, '--data', test, '--errors', '--json'));
  const rel = report.errors.relations;
  const fn = Object.values(rel.byCategory as Record<string, { fn: number }>).reduce((n, c) => n + c.fn, 0);
  assert.equal(fn, report.relations.strict.micro.fn);
  // 5. Predictions drawn against gold: every test document, each item marked.
  const pred = join(w, 'pred.jsonl');
  entrel('predict', '--model', best, '--data', test, '--out', pred);
  const page = join(w, 'errors.html');
  entrel('view', pred, '--gold', test, '--only-errors', '--out', page);
  // The page draws exactly the documents evaluate --errors finds an error in.
  const withErrors = new Set([...report.errors.entities.errors, ...rel.errors].map((e: { document: string }) => e.document));
  const html = readFileSync(page, 'utf8');
  assert.equal(html.match(/<figure/g)?.length ?? 0, withErrors.size);
  assert.ok(withErrors.size > 0, 'withErrors.size > 0');
  // 6. Scores calibrated on dev (the same predictions); the model says what it is and extracts from raw text.
  const model = join(w, 'model');
  entrel('calibrate', '--model', best, '--data', join(w, 'data', 'dev.jsonl'), '--out', model);
  const card = JSON.parse(entrel('info', '--model', model, '--json'));
  assert.deepEqual(card.calibration, { fittedOn: 'dev.jsonl' });
  assert.deepEqual(card.entityTypes.toSorted(), ['Loc', 'Org', 'Other', 'Peop']);
  assert.match(card.trainedOn, /^train\.jsonl \(185 sentences\) with the local loss; epoch [1-3], chosen on dev\.jsonl/);
  const doc = JSON.parse(entrel('extract', '--model', model, '--json', 'Mary Smith works for Acme Corp in Boston.'));
  assert.equal(doc.text, 'Mary Smith works for Acme Corp in Boston.');
  assert.ok(Array.isArray(doc.entities) && Array.isArray(doc.relations), 'Array.isArray(doc.entities) && Array.isArray(doc.relations)');
  // 7. Shared as an npm package: the model inside is the calibrated one, under the package's name.
  entrel('package', '--model', model, '--out', join(w, 'my-package'), '--name', '@me/entrel-news', '--license', 'MIT');
  const packaged = JSON.parse(entrel('info', '--model', join(w, 'my-package', 'model'), '--json'));
  assert.deepEqual([packaged.name, packaged.calibration, packaged.tensors], ['@me/entrel-news', card.calibration, card.tensors]);
});
