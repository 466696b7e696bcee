/**
 * experiments/nn/run.ts and experiments/mrt/run.ts in child processes, at a tiny budget on the tiny
 * fixtures, everything written under `--out` (review 10b F2, F6): a trial leaves the committed tables
 * alone, a finished cell asked with other settings is refused, an MRT row is paired with the NN model it
 * started from, and a missing NN run or an unknown study is one line, not a stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RunResult } from '../../experiments/mrt/report.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'train', 'fixtures');
const DATA = [`data.train=${join(fixtures, 'tiny-train.json')}`, `data.dev=${join(fixtures, 'tiny-dev.json')}`, `data.test=${join(fixtures, 'tiny-dev.json')}`, 'batchSize=6', 'threads=1'];
const TINY_MODEL = ['glove=false', 'model.wordDim=8', 'model.charDim=4', 'model.charFilters=3', 'model.lstmHidden=8', 'model.relFilters=3', 'model.mlpHidden=8', 'model.maxDistance=10'];

function script(file: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'experiments', file), ...args], {
    ...CHILD_LIMIT,
    cwd: root, encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', ENTREL_THREADS: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The committed results, figures and bases of both experiment directories, byte for byte. */
function committedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const d of ['nn', 'mrt']) {
    const dir = join(root, 'experiments', d);
    for (const f of readdirSync(dir).filter((f) => /^(results\.(md|json)|bases\.json|.*\.svg)$/.test(f))) files.set(join(d, f), readFileSync(join(dir, f), 'latin1'));
  }
  return files;
}
const before = committedFiles();
after(() => {
  const now = committedFiles();
  for (const [f, bytes] of before) assert.ok(now.get(f) === bytes, `experiments/${f} was rewritten by a test`);
});

const oneLine = (err: string) => {
  const lines = err.trim().split('\n');
  assert.doesNotMatch(err, /^\s+at /m, 'no stack trace');
  return lines;
};

const nnOut = tempDir('entrel-nn-trial-');
const nnTrial = (...sets: string[]) => script('nn/run.ts', '--study', 'seeds', '--only', 'seed-1', '--out', nnOut, '--set', ...TINY_MODEL, ...DATA, ...sets);

test('experiments/nn --out: a trial at 1 epoch writes its run and tables under DIR only', () => {
  const r = nnTrial('epochs=1');
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(readFileSync(join(nnOut, 'runs', 'seed-1', 'result.json'), 'utf8')) as { epochs: number; budget: { epochs: number } };
  assert.equal(result.epochs, 1);
  assert.equal(result.budget.epochs, 1, 'the budget it ran with is recorded');
  assert.match(readFileSync(join(nnOut, 'results.md'), 'utf8'), /^\| 1 \| /m);
  assert.equal((JSON.parse(readFileSync(join(nnOut, 'results.json'), 'utf8')) as Record<string, unknown[]>).seeds.length, 1, 'only the run made there');
});

test('experiments/nn: a finished run asked with another budget is refused in one line, not reported as the real one', () => {
  const done = readFileSync(join(nnOut, 'runs', 'seed-1', 'result.json'), 'utf8');
  const r = nnTrial('epochs=2');
  assert.equal(r.code, 1);
  const [line, ...rest] = oneLine(r.err);
  assert.deepEqual(rest, []);
  assert.ok(line.startsWith(`experiments/nn: ${join(nnOut, 'runs', 'seed-1')}: finished with other settings than asked now (epochs: 1 there, 2 now)`), line);
  assert.match(line, /another --out DIR, or remove the run directory/);
  assert.equal(readFileSync(join(nnOut, 'runs', 'seed-1', 'result.json'), 'utf8'), done);
  // The same settings (another thread count aside) find the run finished: skipped, not trained again.
  const again = nnTrial('epochs=1', 'threads=2');
  assert.equal(again.code, 0, again.err);
  assert.doesNotMatch(again.err, /epoch 1/);
});

test('experiments/nn: a default written out finds the finished run (review 11 F10); a real change is still refused', () => {
  const done = readFileSync(join(nnOut, 'runs', 'seed-1', 'result.json'), 'utf8');
  // ema 0, Adam's rate 1e-3 and the pinned dropout 0.5 are what the run had without naming them.
  const same = nnTrial('epochs=1', 'ema=0', 'adam.lr=0.001', 'model.dropout=0.5');
  assert.equal(same.code, 0, same.err);
  assert.doesNotMatch(same.err, /epoch 1|finished with other settings/);
  const other = nnTrial('epochs=1', 'ema=0.99');
  assert.equal(other.code, 1);
  const [line, ...rest] = oneLine(other.err);
  assert.deepEqual(rest, []);
  assert.ok(line.includes('finished with other settings than asked now (ema: 0 there, 0.99 now)'), line);
  assert.equal(readFileSync(join(nnOut, 'runs', 'seed-1', 'result.json'), 'utf8'), done);
});

test('experiments/mrt --out --nn-dir: a rerun from another NN model leaves the committed rows paired with theirs', () => {
  const mrtOut = tempDir('entrel-mrt-trial-');
  // Rows committed before runs recorded their NN model (no init), as experiments/mrt/results.json holds them.
  const legacy = (name: string, relF1: number): RunResult => ({
    study: 'table2', name, seed: 1, settings: [], bestEpoch: 1, epochs: 1, secondsPerEpoch: 1,
    dev: { relF1, entF1: 0.8 }, test: { relF1, entF1: 0.8, relBoundariesF1: relF1 },
  });
  writeFileSync(join(mrtOut, 'results.json'), JSON.stringify([legacy('nn', 0.5), legacy('delta-E', 0.52), legacy('gamma-delta-ER', 0.53)]));
  const args = ['--study', 'table2', '--only', 'gamma-delta-ER', '--seeds', '1', '--nn-dir', nnOut, '--out', mrtOut, '--set', ...DATA];
  const r = script('mrt/run.ts', ...args, 'epochs=1');
  assert.equal(r.code, 0, r.err);
  const results = JSON.parse(readFileSync(join(mrtOut, 'results.json'), 'utf8')) as RunResult[];
  const nn = results.filter((x) => x.name === 'nn');
  assert.equal(nn.length, 2, 'the committed NN row stays beside the one of the model the rerun started from');
  const rerun = results.find((x) => x.name === 'gamma-delta-ER')!;
  assert.ok(rerun.init && nn[1].init === rerun.init, 'rerun.init && nn[1].init === rerun.init');
  assert.equal(rerun.budget?.epochs, 1);
  const md = readFileSync(join(mrtOut, 'results.md'), 'utf8');
  // delta-E against its own NN row: +2.0, not +52 against the 1-epoch model.
  assert.match(md, /^\| delta-E \| 1 \| 52\.0 ± 0\.0 \| \+2\.0 ± 0\.0 \|/m);
  const gain = 100 * (rerun.test.relF1 - nn[1].test.relF1);
  assert.match(md, new RegExp(`^\\| gamma-delta-ER \\| 1 \\| [^|]+ \\| ${gain >= 0 ? '\\+' : ''}${gain.toFixed(1).replace('.', '\\.')} ± 0\\.0 \\|`, 'm'));
  // Asked again with another budget: refused, naming the run.
  const again = script('mrt/run.ts', ...args, 'epochs=2');
  assert.equal(again.code, 1);
  const [line, ...rest] = oneLine(again.err);
  assert.deepEqual(rest, []);
  assert.ok(line.includes(`${join(mrtOut, 'runs', 'table2', 'gamma-delta-ER-s1')}: finished with other settings than asked now (epochs: 1 there, 2 now)`), line);
  assert.match(line, /--label L .*or --out DIR, or remove the run directory/);
  // The row's own K=2 written out as mrt.K=2 (review 11 F10): the finished run, not trained again.
  const k2 = script('mrt/run.ts', ...args, 'epochs=1', 'mrt.K=2');
  assert.equal(k2.code, 0, k2.err);
  assert.doesNotMatch(k2.err, /epoch 1|finished with other settings/);
  const k3 = script('mrt/run.ts', ...args, 'epochs=1', 'mrt.K=3');
  assert.equal(k3.code, 1);
  assert.ok(oneLine(k3.err)[0].includes('finished with other settings than asked now (mrt.K: 2 there, 3 now)'), k3.err);
});

test('experiments/mrt without the NN runs: one line naming the missing directory and the command that makes just those', () => {
  const empty = tempDir('entrel-no-nn-');
  const out = tempDir('entrel-mrt-out-');
  const r = script('mrt/run.ts', '--study', 'table2', '--nn-dir', empty, '--out', out, '--set', 'threads=1');
  assert.equal(r.code, 1);
  const [line, ...rest] = oneLine(r.err);
  assert.deepEqual(rest, []);
  assert.ok(line.startsWith(`experiments/mrt: ${join(empty, 'runs', 'seed-1', 'best')} is missing`), line);
  assert.ok(line.endsWith(`\`npx tsx experiments/nn/run.ts --study seeds --out ${empty} --set threads=1\``), line);
  assert.deepEqual(readdirSync(out), [], 'nothing written');
  // Seeds 1 and 4 of the held-out study: the study that makes them, those runs only.
  const held = script('mrt/run.ts', '--study', 'table2', '--label', 'heldout', '--nn', 'heldout-seed', '--config', 'configs/default-model-mrt.json', '--keep', 'last', '--from', 'best', '--seeds', '1,4', '--nn-dir', empty, '--out', out);
  assert.equal(held.code, 1);
  assert.match(oneLine(held.err)[0], /make them first with `npx tsx experiments\/nn\/run\.ts --study seeds-heldout --only heldout-seed-1,heldout-seed-4 --out \S+ --set threads=1`$/);
  assert.deepEqual(readdirSync(out), [], 'nothing written');
});

/** The NN command a missing NN run's message gives, and the option it says to add to the MRT command. */
function nnHint(err: string): { command: string[]; add?: string[] } {
  const line = oneLine(err)[0];
  const command = /make them first with `npx tsx experiments\/nn\/run\.ts ([^`]*)`/.exec(line);
  assert.ok(command, `no command in: ${line}`);
  const add = /then add `([^`]*)` to this command/.exec(line);
  return { command: command[1].split(' '), ...(add && { add: add[1].split(' ') }) };
}

test("a missing NN run's command carries the trial's budget, data and --nn-dir: copied, it makes the runs the MRT study then finds", () => {
  const nnDir = tempDir('entrel-nn-hint-');
  const out = tempDir('entrel-mrt-hint-');
  const args = ['--study', 'table2', '--only', 'gamma-delta-ER', '--seeds', '1', '--nn-dir', nnDir, '--out', out, '--set', ...DATA, 'epochs=1', 'K=2'];
  const r = script('mrt/run.ts', ...args);
  assert.equal(r.code, 1);
  const hint = nnHint(r.err);
  // Before: `--study seeds --only seed-1 --out DIR --set threads=1`, a 100-epoch run on CoNLL04 for a 1-epoch trial.
  // The budget, the data and the threads; not batchSize or K, this study's own settings of MRT.
  assert.deepEqual(hint.command, ['--study', 'seeds', '--only', 'seed-1', '--out', nnDir, '--set', ...DATA.filter((s) => !s.startsWith('batchSize=')), 'epochs=1']);
  assert.equal(hint.add, undefined, 'the study reads its --nn-dir already');
  const made = script('nn/run.ts', ...hint.command);
  assert.equal(made.code, 0, made.err);
  const again = script('mrt/run.ts', ...args);
  assert.equal(again.code, 0, again.err);
  assert.equal((JSON.parse(readFileSync(join(out, 'runs', 'table2', 'gamma-delta-ER-s1', 'result.json'), 'utf8')) as RunResult).epochs, 1);
});

test('a trial without --nn-dir is told to make its NN runs under --out and read them with --nn-dir, not in experiments/nn/runs', { skip: existsSync(join(root, 'experiments', 'nn', 'runs')) }, () => {
  const out = tempDir('entrel-mrt-hint-');
  const r = script('mrt/run.ts', '--study', 'table2', '--seeds', '2', '--out', out, '--set', 'epochs=1', 'patience=0', 'threads=1');
  assert.equal(r.code, 1);
  const hint = nnHint(r.err);
  assert.deepEqual(hint.command, ['--study', 'seeds', '--only', 'seed-2', '--out', join(out, 'nn'), '--set', 'epochs=1', 'patience=0', 'threads=1']);
  assert.deepEqual(hint.add, ['--nn-dir', join(out, 'nn')]);
  // The full budget, no trial: the real runs, where the study reads them.
  const real = script('mrt/run.ts', '--study', 'table2', '--out', out);
  assert.deepEqual(nnHint(real.err), { command: ['--study', 'seeds', '--set', 'threads=1'] });
  assert.deepEqual(readdirSync(out), [], 'nothing written');
});

test('the README command on a checkout without NN runs names experiments/nn --study seeds', { skip: existsSync(join(root, 'experiments', 'nn', 'runs')) || existsSync(join(root, 'experiments', 'mrt', 'runs')) }, () => {
  const r = script('mrt/run.ts', '--study', 'table2', '--set', 'threads=1');
  assert.equal(r.code, 1);
  assert.deepEqual(oneLine(r.err).length, 1);
  assert.match(r.err, /^experiments\/mrt: experiments\/nn\/runs\/seed-1\/best is missing .*`npx tsx experiments\/nn\/run\.ts --study seeds --set threads=1`$/m);
});

test('an unknown study prints the usage with the known studies (status 2), no stack trace', () => {
  const mrt = script('mrt/run.ts', '--study', 'tabel2');
  assert.equal(mrt.code, 2);
  assert.match(mrt.err, /^unknown study "tabel2" \(known: table2, fig3, fig4, all\)\nusage: npx tsx experiments\/mrt\/run\.ts /);
  oneLine(mrt.err);
  const nn = script('nn/run.ts', '--study', 'seedz');
  assert.equal(nn.code, 2);
  assert.match(nn.err, /^unknown study "seedz" \(known: optim, .*seeds-heldout, .*all\)\nusage: npx tsx experiments\/nn\/run\.ts /);
  oneLine(nn.err);
  const only = script('nn/run.ts', '--study', 'seeds', '--only', 'seed-9');
  assert.equal(only.code, 2);
  assert.match(only.err, /^--only seed-9: no run of study seeds is named so\n/);
  const keep = script('mrt/run.ts', '--keep', 'first');
  assert.equal(keep.code, 2);
  assert.match(keep.err, /^--keep takes only "last" \(got first\)\nusage: /);
});

test('the runners and analysis scripts read a negative number as the value, refused by its range check in one line (status 2)', () => {
  const cases: [string, string[], RegExp][] = [
    ['mrt/run.ts', ['--seeds', '-1'], /^--seeds: expected whole numbers of at least 0, got "-1"$/],
    ['mrt/q-sharpness.ts', ['--seed', '-1'], /^--seed: expected a whole number from 0 to 2147483647, got "-1"$/],
    ['mrt/risk-variance.ts', ['--draws', '-2'], /^--draws: expected a whole number of at least 1, got "-2"$/],
    ['mrt/paired-bootstrap.ts', ['--label', 'x', '--seed', '-1'], /^--seed: expected a whole number from 0 to 2147483647, got "-1"$/],
    ['mrt/paired-bootstrap.ts', [], /^--label: missing/],
    ['mrt/gold-entities.ts', ['--seeds', '1,x'], /^--seeds: expected whole numbers of at least 0, got "x"$/],
    ['mrt/gold-entities.ts', ['--bogus'], /^Unknown option '--bogus'/],
  ];
  for (const [file, args, message] of cases) {
    const r = script(file, ...args);
    assert.equal(r.code, 2, `${file} ${args.join(' ')}: ${r.err}`);
    const [first, second] = oneLine(r.err);
    assert.match(first, message);
    assert.match(second, new RegExp(`^usage: npx tsx experiments/${file.replace('.', '\\.')}`), r.err);
  }
});

test('--report --out on a copy of the committed results writes the committed tables and figures again, byte for byte', () => {
  const out = tempDir('entrel-mrt-report-');
  for (const f of ['results.json', 'bases.json']) copyFileSync(join(root, 'experiments', 'mrt', f), join(out, f));
  const r = script('mrt/run.ts', '--report', '--out', out, '--nn-dir', tempDir('entrel-no-nn-'));
  assert.equal(r.code, 0, r.err);
  for (const f of readdirSync(out)) assert.ok(before.get(join('mrt', f)) === readFileSync(join(out, f), 'latin1'), `${f} differs from experiments/mrt/${f}`);
});
