/**
 * `entrel crossval` (built bin, tiny settings on CoNLL04's dev split): k folds by whole documents, each
 * trained and scored; a second run with the same settings goes on where the first stopped (here: a fold
 * whose result was removed is the only one run again); other settings in the same directory are refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { foldPositions } from '../../src/data/split.js';
import { DATA } from '../data/helpers.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'entrel.js');
const tiny = join(root, 'test', 'train', 'fixtures', 'tiny.json');
const data = join(DATA, 'conll04', 'unified_two_are_better', 'valid.CoNLL04.json');
const out = join(tempDir('entrel-crossval-'), 'study');
const crossval = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, 'crossval', '--config', tiny, '--data', data, '--format', 'unified', '--out', out, '--quiet', ...args], {
    ...CHILD_LIMIT,
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ENTREL_THREADS: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The study's crossval.log.jsonl, a record a line. */
const studyLog = () => readFileSync(join(out, 'crossval.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('entrel crossval', () => {
  it('deals documents into k folds of sizes within one, each once, seeded', () => {
    const folds = foldPositions(10, 3, 7);
    assert.deepEqual(folds.map((f) => f.length), [4, 3, 3]);
    assert.deepEqual(folds.flat().sort((a, b) => a - b), [...Array(10).keys()]);
    assert.deepEqual(foldPositions(10, 3, 7), folds);
    assert.notDeepEqual(foldPositions(10, 3, 8), folds);
  });

  it('trains and scores every fold, and reports each with their mean and standard deviation', () => {
    const r = crossval('--folds', '3', '--set', 'epochs=10', 'select=entity+relation', '--json');
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out);
    assert.deepEqual(result.folds.map((f: { documents: { train: number; dev: number; test: number } }) => f.documents), [
      { train: 77, dev: 77, test: 77 },
      { train: 77, dev: 77, test: 77 },
      { train: 77, dev: 77, test: 77 },
    ]);
    const f1 = result.folds.map((f: { entityF1: number }) => f.entityF1);
    assert.ok(f1.every((x: number) => x > 0.02), `a tiny model learns some entities in 10 epochs: ${f1}`);
    const mean = f1.reduce((a: number, b: number) => a + b, 0) / 3;
    assert.ok(Math.abs(result.mean.entityF1 - mean) < 1e-12, 'Math.abs(result.mean.entityF1 - mean) < 1e-12');
    const sd = Math.sqrt(f1.reduce((a: number, x: number) => a + (x - mean) ** 2, 0) / 2);
    assert.ok(Math.abs(result.std.entityF1 - sd) < 1e-12, 'Math.abs(result.std.entityF1 - sd) < 1e-12');
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'crossval.json'), 'utf8')), result);
    // The study's log: each fold's start (with the study's ETA once a fold has been timed) and result.
    const log = studyLog();
    assert.deepEqual(log.map((l) => [l.type, l.fold ?? null]), [['start', null], ['fold', 1], ['result', 1], ['fold', 2], ['result', 2], ['fold', 3], ['result', 3], ['end', null]]);
    assert.deepEqual(log[0].kept, []);
    assert.equal(log[1].eta, undefined, 'no fold timed yet');
    const [first, second] = [log[2].seconds as number, log[4].seconds as number];
    assert.ok(first > 0 && Math.abs((log[3].eta as number) - 2 * first) <= 1, `fold 2's ETA is two folds of ${first} s: ${log[3].eta}`);
    assert.ok(Math.abs((log[5].eta as number) - (first + second) / 2) <= 1, `fold 3's ETA is one mean fold: ${log[5].eta}`);
    assert.equal(log[6].relationStrictF1, result.folds[2].relationStrictF1);
    assert.equal(log[7].outcome, 'done');
    assert.deepEqual(log[7].mean, result.mean);
    assert.ok(log.every((l) => typeof l.time === 'string' && !Number.isNaN(Date.parse(l.time as string))));
    // The test folds are disjoint and cover the corpus: fold f's test is fold f + 1's dev.
    const ids = (f: number, part: string) => readFileSync(join(out, `fold-${f}`, `${part}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    assert.deepEqual(ids(1, 'dev'), ids(2, 'test'));
    assert.equal(new Set([1, 2, 3].flatMap((f) => ids(f, 'test'))).size, 231);
    for (const f of [1, 2, 3]) {
      const [train, dev, test] = ['train', 'dev', 'test'].map((p) => new Set(ids(f, p)));
      assert.equal(train.size + dev.size + test.size, 231);
      for (const id of train) assert.ok(!dev.has(id) && !test.has(id), `fold ${f}: ${id} in train and dev or test`);
    }
  });

  it('goes on where it stopped with the same settings, a fold stopped before its first checkpoint started again, to the same result', () => {
    const kept = statSync(join(out, 'fold-1', 'result.json')).mtimeMs;
    const before = JSON.parse(readFileSync(join(out, 'fold-3', 'result.json'), 'utf8'));
    // As a stop right after the first best/ was written leaves it: no result, no checkpoint.
    rmSync(join(out, 'fold-3', 'result.json'));
    rmSync(join(out, 'fold-3', 'run', 'last'), { recursive: true });
    const again = crossval('--folds', '3', '--set', 'select=entity+relation', 'epochs=10');
    assert.equal(again.code, 0, again.err);
    assert.equal(again.err, 'entrel: fold 3 of 3\n', 'only the fold without a result runs (the --sets in another order are the same settings)');
    const log = studyLog();
    assert.deepEqual(log.slice(8).map((l) => [l.type, l.fold ?? null]), [['start', null], ['fold', 3], ['result', 3], ['end', null]], 'the log goes on');
    assert.deepEqual(log[8].kept, [1, 2]);
    assert.equal(statSync(join(out, 'fold-1', 'result.json')).mtimeMs, kept);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'fold-3', 'result.json'), 'utf8')), before, 'the same seed, the same fold result');
    assert.match(again.out, /^mean {2,}/m);
  });

  it('refuses other settings, another corpus, a directory of other files, a damaged result and init, naming why', () => {
    const folds = crossval('--folds', '4', '--set', 'epochs=10', 'select=entity+relation');
    assert.equal(folds.code, 1);
    assert.match(folds.err, /plan\.json: holds a study with other number of folds \(data .*valid\.CoNLL04\.json \(format unified\), config .*tiny\.json, 3 folds, seed 1, --set epochs=10 select=entity\+relation\): run it with those, or choose another --out/);
    assert.match(crossval('--folds', '3', '--set', 'epochs=11', 'select=entity+relation').err, /holds a study with other training settings \(the config or its --sets\)/);
    const test = join(DATA, 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');
    const other = spawnSync(process.execPath, [bin, 'crossval', '--config', tiny, '--data', test, '--format', 'unified', '--out', out, '--folds', '3', '--set', 'epochs=10', 'select=entity+relation'], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
    assert.match(other.stderr, /holds a study with other data \(the corpus changed\)/);
    const foreign = tempDir('entrel-crossval-foreign-');
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const intoForeign = spawnSync(process.execPath, [bin, 'crossval', '--config', tiny, '--data', data, '--format', 'unified', '--out', foreign, '--folds', '3'], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
    assert.match(intoForeign.stderr, /holds "notes\.txt" but no study \(plan\.json\): choose a new or empty directory/);
    const result = join(out, 'fold-2', 'result.json');
    const good = readFileSync(result, 'utf8');
    writeFileSync(result, '{"fold": 2');
    assert.match(crossval('--folds', '3', '--set', 'epochs=10', 'select=entity+relation').err, /fold-2\/result\.json: cannot read fold 2's result \(.*\): delete it to run the fold again\n$/);
    writeFileSync(result, '{"fold": 2}');
    assert.match(crossval('--folds', '3', '--set', 'epochs=10', 'select=entity+relation').err, /fold-2\/result\.json: is not fold 2's result as crossval writes it/);
    writeFileSync(result, good);
    assert.match(crossval('--folds', '3', '--set', 'init=models/conll04').err, /tiny\.json: init: cross-validation trains each fold from scratch/);
    // A study that stopped before training anything gives way to one with other settings.
    const fresh = join(tempDir('entrel-crossval-fresh-'), 'study');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'crossval', '--config', tiny, '--data', data, '--format', 'unified', '--out', fresh, '--folds', '3', '--quiet', ...args], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8', env: { ...process.env, ENTREL_THREADS: '1' } });
    const failed = run('--set', 'glove=true', 'model.wordDim=2', 'embeddings=' + join(root, 'package.json'));
    assert.equal(failed.status, 1);
    assert.equal(run('--set', 'epochs=1').status, 0, 'the failed one trained nothing to keep');
  });

  it('refuses too few folds or documents, and --set of the data the folds are', () => {
    assert.match(crossval('--folds', '2').err, /folds: must be a whole number of at least 3/);
    assert.match(crossval('--folds', '300').err, /holds 231 documents, too few for 300 folds/);
    assert.match(crossval('--set', 'data.dev=x.json').err, /--set: data\.dev is what the folds are/);
  });
});

describe('crossValidate, stopped between folds', () => {
  it('stops before the next fold when a signal came while reading or scoring, and says how to go on', async () => {
    const { crossValidate } = await import('../../src/train/crossval.js');
    const { Interrupted } = await import('../../src/errors.js');
    const study = join(tempDir('entrel-crossval-stop-'), 'study');
    await assert.rejects(
      crossValidate(tiny, data, study, { folds: 3, corpus: { format: 'unified' }, quiet: true, stopRequested: () => 'SIGINT' }),
      (e: Error) => e instanceof Interrupted && /study: interrupted \(SIGINT\) before fold 1 of 3; run the same crossval command to go on where it stopped$/.test(e.message),
    );
    assert.throws(() => statSync(join(study, 'fold-1')), /ENOENT/); // no fold's work began
  });
});
