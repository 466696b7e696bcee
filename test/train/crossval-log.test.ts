/**
 * The study's log (crossval.log.jsonl) of crossval runs that do not simply go from start to end (the
 * library, from source): the ETA's arithmetic, the ETA after a resume, and a resumed run that fails on a
 * kept result. test/cli/crossval-interrupt.test.ts has the process ended at once by a second Ctrl-C.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Interrupted, isUserError } from '../../src/errors.js';
import { crossValidate } from '../../src/train/crossval.js';
import { CrossValLog } from '../../src/train/crossval-log.js';
import { tempDir } from '../temp-dir.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const tiny = join(fixtures, 'tiny.json');
const root = tempDir('entrel-crossval-log-');
const data = join(root, 'tiny.json');
writeFileSync(data, readFileSync(join(fixtures, 'tiny-train.json')));
const study = join(root, 'study');
const options = { folds: 3, sets: ['epochs=4'], quiet: true, onWarning: () => {} };

/** A log, a record a line. */
const records = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const studyLog = () => records(join(study, 'crossval.log.jsonl'));

/** Epochs fold `f`'s training has logged. */
const epochsLogged = (f: number) => {
  const file = join(study, `fold-${f}`, 'run', 'train.log.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"type":"epoch"')).length : 0;
};

test('the ETA, by a whole fold: a fold resumed partway counts with its earlier epochs at the pace of its later ones, and only until a whole one is timed', () => {
  const file = join(root, 'arithmetic.log.jsonl');
  const log = new CrossValLog(file);
  const exitHooks = process.listenerCount('exit');
  log.start(4, 1, []);
  log.result({ fold: 1 }, { seconds: 0.5, epochs: 10, resumedAfter: 10, epochSeconds: 0 }); // only scored: says nothing of a fold's time
  assert.equal(log.fold(2, 4, 3), undefined);
  // The review's fold: one epoch of ten, 1.3 s with reading and scoring.
  log.result({ fold: 2 }, { seconds: 1.3, epochs: 10, resumedAfter: 9, epochSeconds: 0.4 });
  assert.equal(log.fold(3, 4, 2), 10, 'two folds of 1.3 + 9 × 0.4 s');
  log.result({ fold: 3 }, { seconds: 4, epochs: 10, resumedAfter: 0, epochSeconds: 3.6 });
  assert.equal(log.fold(4, 4, 1), 4, 'the whole fold alone');
  log.end('done');
  assert.deepEqual(records(file).map((l) => [l.type, l.resumedAfter ?? null, l.eta ?? null]), [
    ['start', null, null], ['result', 10, null], ['fold', null, null], ['result', 9, null], ['fold', null, 10], ['result', 0, null], ['fold', null, 4], ['end', null, null],
  ]);
  assert.equal(process.listenerCount('exit'), exitHooks, 'the end written, its exit hook is removed');
});

test('a study stopped after epoch 3 of fold 1 resumes it: its result says so, and the ETA adds the 3 epochs at the pace of the 4th', async () => {
  await assert.rejects(crossValidate(tiny, data, study, { ...options, stopRequested: () => (epochsLogged(1) >= 3 ? 'SIGINT' : undefined) }), (e: unknown) =>
    e instanceof Interrupted && /^fold 1 of 3: .*interrupted \(SIGINT\) after epoch 3; the checkpoint after epoch 3 is kept/.test(e.message));
  const etas: (number | undefined)[] = [];
  await crossValidate(tiny, data, study, { ...options, onFold: (_f, _k, eta) => etas.push(eta) });
  const log = studyLog();
  const again = log.slice(log.map((l) => l.type).lastIndexOf('start'));
  assert.deepEqual(again.map((l) => [l.type, l.fold ?? null]), [['start', null], ['fold', 1], ['result', 1], ['fold', 2], ['result', 2], ['fold', 3], ['result', 3], ['end', null]]);
  const [first, second] = [again[2], again[4]];
  assert.deepEqual([first.epochs, first.resumedAfter, second.epochs, second.resumedAfter], [4, 3, 4, 0], 'fold 1 trained its 4th epoch only, fold 2 all 4');
  const [s1, s2] = [first.seconds as number, second.seconds as number];
  const fourth = records(join(study, 'fold-1', 'run', 'train.log.jsonl')).filter((l) => l.type === 'epoch').at(-1)!;
  const pace = (fourth.seconds as number) + (fourth.evalSeconds as number);
  // The seconds in the study's log are rounded to tenths (0.05 s, for the 2 folds left), its ETAs to whole seconds.
  assert.ok(Math.abs((again[3].eta as number) - 2 * (s1 + 3 * pace)) <= 0.5 + 0.1, `fold 2's ETA is two folds of fold 1's ${s1} s and 3 epochs of ${pace} s: ${again[3].eta}`);
  assert.ok(Math.abs((again[5].eta as number) - s2) <= 0.5 + 0.05, `fold 3's ETA is fold 2's ${s2} s, fold 1 left out: ${again[5].eta}`);
  assert.deepEqual(etas, [undefined, again[3].eta, again[5].eta], 'the command is told the ETA logged');
});

test('a resumed study that fails on a damaged kept result logs its start and a failed end with the reason', async () => {
  assert.ok(existsSync(join(study, 'crossval.json')), 'the study above is done');
  writeFileSync(join(study, 'fold-2', 'result.json'), '{');
  const before = studyLog().length;
  let message = '';
  await assert.rejects(crossValidate(tiny, data, study, options), (e: unknown) => {
    message = isUserError(e) ? e.message : String(e);
    return isUserError(e) && /fold-2\/result\.json: cannot read fold 2's result \(.*\): delete it to run the fold again$/.test(e.message);
  });
  const added = studyLog().slice(before);
  assert.deepEqual(added.map((l) => [l.type, l.kept ?? l.outcome]), [['start', [1, 2, 3]], ['end', 'failed']]);
  assert.equal(added[1].error, message);
  assert.equal(existsSync(join(study, 'crossval.json')), false, 'the study is no longer done, as its log says');
});
