/**
 * What crossValidate checks before it trains (the library, from source; test/cli/crossval.test.ts runs
 * the built command): dev folds that cannot choose a model, with advice that fits folds crossval cut
 * itself, and the thread count, refused before the corpus is read and warned of once for all folds.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../../src/errors.js';
import { crossValidate } from '../../src/train/crossval.js';
import { tempDir } from '../temp-dir.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const tiny = join(fixtures, 'tiny.json');
const root = tempDir('entrel-crossval-checks-');
const records = JSON.parse(readFileSync(join(fixtures, 'tiny-train.json'), 'utf8')) as { entities: unknown[]; relations: unknown[] }[];

function corpus(name: string, recs: unknown[]): string {
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(recs));
  return file;
}

test("a dev fold that cannot choose a model is refused before any fold trains, with advice for crossval's own folds", async () => {
  // one annotated record: some fold's dev part has none
  const unannotated = corpus('no-entities.json', records.map((r, i) => (i === 0 ? r : { ...r, entities: [], relations: [] })));
  const out = join(root, 'no-entities');
  await assert.rejects(crossValidate(tiny, unannotated, out, { folds: 6, quiet: true }), (e: unknown) => {
    assert.ok(isUserError(e), 'isUserError(e)');
    assert.match(e.message, /^.*no-entities\.json: fold \d+, the dev part of fold \d+, has no annotated entities \(3 documents, 3 sentences\): the dev data chooses the model kept in best\/, and with nothing to score every epoch scores 0; annotate more of the corpus, or deal it otherwise \(--folds, --seed\)$/);
    // a fold is cut by crossval, in jsonl: neither `entrel split` nor data.format helps
    assert.doesNotMatch(e.message, /entrel split|data\.format/);
    return true;
  });
  assert.equal(existsSync(out), false, 'refused before the study was started');
  const noRelations = corpus('no-relations.json', records.map((r) => ({ ...r, relations: [] })));
  await assert.rejects(crossValidate(tiny, noRelations, join(root, 'no-relations'), { folds: 3, quiet: true }), (e: unknown) =>
    isUserError(e) && /fold 2, the dev part of fold 1, has no annotated relations \(6 documents, 6 sentences, 12 entities\), and select is "relation": .*; annotate more of the corpus, or deal it otherwise \(--folds, --seed\), or select on entities too \(--set select=entity\+relation\)$/.test(e.message));
});

test('threads: refused before the corpus is read; warned of once for all folds', async () => {
  const cores = availableParallelism();
  const notACorpus = join(root, 'not-a-corpus.json');
  writeFileSync(notACorpus, 'not JSON');
  await assert.rejects(crossValidate(tiny, notACorpus, join(root, 'refused'), { folds: 3, sets: [`threads=${4 * cores + 1}`], quiet: true }), (e: unknown) =>
    isUserError(e) && e.message.startsWith(`threads: ${4 * cores + 1} is more than 4 times the ${cores} cores of this machine`));
  const warnings: string[] = [];
  const data = corpus('tiny.json', records);
  await crossValidate(tiny, data, join(root, 'warned'), { folds: 3, sets: ['epochs=1', `threads=${cores + 1}`], quiet: true, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings.filter((w) => /threads/.test(w)), [`threads ${cores + 1} is more than the ${cores} cores of this machine: training runs slower than with threads ${cores}`]);
});

test('a second crossval of one study is refused while the first runs, before it removes anything', async () => {
  const data = corpus('locked.json', records);
  const out = join(root, 'locked');
  let second: Promise<unknown> | undefined;
  const sets = ['epochs=1'];
  await crossValidate(tiny, data, out, {
    folds: 3, quiet: true, sets, onWarning: () => {},
    onFold: (f) => {
      // Settled at once into a value: a rejection left unobserved while the first study runs fails the test.
      if (f === 2) second ??= crossValidate(tiny, data, out, { folds: 3, quiet: true, sets, onWarning: () => {} }).then(() => 'finished', (e: unknown) => e);
    },
  });
  const refused = await second;
  assert.ok(isUserError(refused), String(refused));
  assert.match(refused.message, new RegExp(`${out}: is being trained by process ${process.pid}`));
  assert.ok(existsSync(join(out, 'crossval.json')), 'the first study finished and wrote its result');
});
