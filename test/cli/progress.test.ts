/**
 * The progress bars of the commands that run over a whole corpus (train/progress.ts, cli/progress.ts):
 * `predict`, `evaluate --data` (and `--bootstrap`), `calibrate`, `compare`, `convert` and `split` draw one
 * on stderr when it is a terminal (a child process whose stderr passes for one: fake-tty.ts), with the
 * right total and final count, sentences (resamples, documents) per second and an ETA; none when stderr is
 * not a terminal or with --quiet; stdout and the files written are byte for byte the same either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const conll04 = join(root, '..', 'shared', 'data', 'conll04', 'spert');
const script = `import {run} from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;

/** `entrel ...args` from the sources in a child process, its stderr a terminal (`tty`) or the plain pipe it is. */
function entrel(tty: boolean, ...args: string[]): { code: number | null; out: string; err: string } {
  const preload = tty ? ['--import', join(root, 'test', 'cli', 'fake-tty.ts')] : [];
  // A time limit: a regression that blocks (a log opened on a named pipe) fails instead of hanging the suite.
  // A terminal that draws (a TERM=dumb one gets plain lines instead: dumb-terminal.test.ts).
  const env = { ...process.env, TERM: 'xterm' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...preload, '--input-type=module', '-e', script, ...args], { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The lines a bar drew (each redraw starts at column 1), without the terminal's escape sequences. */
function frames(stderr: string, label: string): string[] {
  return stderr
    .split(/\x1b\[1G|\r|\n/)
    .map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, ''))
    .filter((l) => l.startsWith(`${label} `));
}

/** The first and the last line of `label`'s bar, which must have drawn both. */
function bar(stderr: string, label: string): { first: string; last: string } {
  const drawn = frames(stderr, label);
  assert.ok(drawn.length >= 2, `a ${label} bar starts and ends, in: ${JSON.stringify(stderr.slice(0, 2000))}`);
  return { first: drawn[0], last: drawn[drawn.length - 1] };
}

const ESC = '\x1b';

const dir = tempDir('entrel-progress-');
// 150 CoNLL04 test sentences: two batches of the model (100 a batch).
const data = join(dir, 'part.json');
writeFileSync(data, JSON.stringify(JSON.parse(readFileSync(join(conll04, 'conll04_test.json'), 'utf8')).slice(0, 150)));
copyFileSync(join(conll04, 'conll04_types.json'), join(dir, 'part_types.json'));
const SENTENCES = 150;

test('predict: a bar of the predictions (sentences/s, ETA), then of the writing; the same file, and no bar off a terminal or with --quiet', () => {
  const [withBar, plain, quiet] = ['bar.jsonl', 'plain.jsonl', 'quiet.jsonl'].map((f) => join(dir, f));
  const t = entrel(true, 'predict', '--data', data, '--out', withBar);
  assert.equal(t.code, 0, t.err);
  const predict = bar(t.err, 'predict');
  assert.match(predict.first, /^predict \[░+\] 0% \| 0\/150 sentences \| - sentences\/s \| ETA -$/);
  assert.match(predict.last, /^predict \[█+\] 100% \| 150\/150 sentences \| [\d.]+ sentences\/s \| ETA 0s$/);
  assert.match(bar(t.err, 'write').last, /^write \[█+\] 100% \| 150\/150 documents \| [\d.]+ documents\/s \| ETA 0s$/);
  // The line is cleared and the cursor shown again before the closing summary.
  assert.ok(t.err.endsWith(`${ESC}[2Kentrel: wrote predictions to ${withBar}\n`), `the bar is cleared before the summary: ${JSON.stringify(t.err.slice(-200))}`);
  assert.ok(t.err.includes(`${ESC}[?25h`), 'the cursor is shown again');

  const p = entrel(false, 'predict', '--data', data, '--out', plain);
  assert.equal(p.code, 0, p.err);
  assert.equal(p.err, `entrel: wrote predictions to ${plain}\n`);
  const q = entrel(true, 'predict', '--data', data, '--out', quiet, '--quiet');
  assert.equal(q.code, 0, q.err);
  assert.equal(q.err, '', '--quiet: neither the bar nor the summary');
  assert.equal(t.out + p.out + q.out, '');
  assert.equal(readFileSync(withBar, 'utf8'), readFileSync(plain, 'utf8'));
  assert.equal(readFileSync(quiet, 'utf8'), readFileSync(plain, 'utf8'));
});

test('evaluate --data --bootstrap --json: a bar of the predictions, then of the resamples; stdout the same byte for byte', () => {
  const args = ['evaluate', '--data', data, '--bootstrap', '300', '--json'];
  const t = entrel(true, ...args);
  assert.equal(t.code, 0, t.err);
  assert.match(bar(t.err, 'predict').last, /^predict \[█+\] 100% \| 150\/150 sentences \| [\d.]+ sentences\/s \| ETA 0s$/);
  assert.match(bar(t.err, 'bootstrap').last, /^bootstrap \[█+\] 100% \| 300\/300 resamples \| [\d.]+ resamples\/s \| ETA 0s$/);
  const p = entrel(false, ...args);
  assert.equal(p.code, 0, p.err);
  assert.equal(p.err, '');
  assert.ok(!t.out.includes(ESC), 'no escape sequence on stdout');
  assert.equal(t.out, p.out);
  assert.equal(JSON.parse(t.out).intervals.samples, 300);
});

test('evaluate --data (a table) and calibrate: the bar counts every sentence; stdout unchanged', () => {
  const t = entrel(true, 'evaluate', '--data', data);
  assert.equal(t.code, 0, t.err);
  assert.match(bar(t.err, 'predict').last, /^predict \[█+\] 100% \| 150\/150 sentences /);
  assert.equal(t.out, entrel(false, 'evaluate', '--data', data).out);
  const c = entrel(true, 'calibrate', '--data', data, '--out', join(dir, 'calibrated'), '--json');
  assert.equal(c.code, 0, c.err);
  assert.match(bar(c.err, 'predict').last, /^predict \[█+\] 100% \| 150\/150 sentences /);
  assert.ok(!c.out.includes(ESC), 'no escape sequence on stdout');
  const plain = entrel(false, 'calibrate', '--data', data, '--out', join(dir, 'calibrated2'), '--json');
  assert.equal(plain.code, 0, plain.err);
  assert.equal(c.out, plain.out);
});

test('compare: one bar of every resample and shuffle; stdout the same', () => {
  // Two systems against the baseline (the gold itself, for the count): 2 × (200 resamples + 300 shuffles).
  const args = ['compare', '--gold', data, data, data, data, '--samples', '200', '--trials', '300', '--json'];
  const t = entrel(true, ...args);
  assert.equal(t.code, 0, t.err);
  const b = bar(t.err, 'compare');
  assert.match(b.first, /^compare \[░+\] 0% \| 0\/1000 resamples \| - resamples\/s \| ETA -$/);
  assert.match(b.last, /^compare \[█+\] 100% \| 1000\/1000 resamples \| [\d.]+ resamples\/s \| ETA 0s$/);
  assert.ok(!t.err.includes(`${ESC}[?25l`), 'the synchronous resampling leaves the cursor shown (a Ctrl-C ends it at once)');
  const p = entrel(false, ...args);
  assert.equal(p.err, '');
  assert.equal(t.out, p.out);
});

test('convert and split: a bar of the documents written (brat writes two files a document)', () => {
  const c = entrel(true, 'convert', '--to', 'brat', data, join(dir, 'brat'));
  assert.equal(c.code, 0, c.err);
  assert.match(bar(c.err, 'convert').last, /^convert \[█+\] 100% \| 150\/150 documents \| [\d.]+ documents\/s \| ETA 0s$/);
  assert.equal(readdirSync(join(dir, 'brat')).length, 2 * SENTENCES + 1); // .txt and .ann, annotation.conf
  const s = entrel(true, 'split', data, '--out', join(dir, 'parts'), '--to', 'jsonl', '--json');
  assert.equal(s.code, 0, s.err);
  // Every part's documents, 120 + 15 + 15.
  assert.match(bar(s.err, 'split').last, /^split \[█+\] 100% \| 150\/150 documents /);
  const parts = JSON.parse(s.out).parts.map((p: { documents: number }) => p.documents);
  assert.deepEqual(parts, [120, 15, 15]);
  const plain = entrel(false, 'split', data, '--out', join(dir, 'parts2'), '--to', 'jsonl', '--json');
  assert.equal(plain.err, '');
  assert.equal(plain.out.replaceAll('parts2', 'parts'), s.out);
});

test('extract --in and view draw their bars with the same implementation: texts by input bytes, documents', () => {
  const texts = join(dir, 'texts.txt');
  writeFileSync(texts, ['Mary Smith works for Acme Corp in Boston.', 'John lives in Paris.', 'IBM is based in Armonk.'].join('\n\n') + '\n');
  const e = entrel(true, 'extract', '--in', texts, '--out', join(dir, 'texts.jsonl'));
  assert.equal(e.code, 0, e.err);
  // The number of texts is known only as they are read: a count, the bar and ETA by the input's bytes.
  assert.match(bar(e.err, 'extract').last, /^extract \[█+\] 100% \| 3 texts \| [\d.]+ texts\/s \| ETA 0s$/);
  const v = entrel(true, 'view', data, '--gold', data, '--out', join(dir, 'page.html'), '--limit', '40');
  assert.equal(v.code, 0, v.err);
  // --limit is the bar's total.
  assert.match(bar(v.err, 'view').last, /^view \[█+\] 100% \| 40\/40 documents \| [\d.]+ documents\/s \| ETA 0s$/);
});

test('Ctrl-C while evaluate --data predicts ends it at the batch in flight, the cursor shown again (exit 130)', { timeout: 300_000 }, async () => {
  const args = ['--import', 'tsx', '--import', join(root, 'test', 'cli', 'fake-tty.ts'), '--input-type=module', '-e', script];
  const child = spawn(process.execPath, [...args, 'evaluate', '--data', join(conll04, 'conll04_train_dev.json')], { cwd: root });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  let exited = false;
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => ((exited = true), resolve(code))));
  let code: number | null;
  try {
    const t0 = Date.now();
    // The first batch of 100 done: the model is running.
    while (!frames(err, 'predict').some((l) => / [1-9]\d*00\/1153 sentences/.test(l))) {
      assert.ok(!exited && Date.now() - t0 < 120_000, `the predictions start within 2 minutes: ${JSON.stringify(err.slice(-500))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    // Its end, within a minute of Ctrl-C (a run that goes on scoring all 1,153 sentences fails here too).
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running 60 s after Ctrl-C: ${JSON.stringify(err.slice(-500))}`)), 60_000)));
    code = await Promise.race([closed, late]).finally(() => clearTimeout(timer));
  } finally {
    if (!exited) child.kill('SIGKILL');
  }
  assert.equal(code, 130, err);
  const last = frames(err, 'predict').at(-1) ?? '';
  assert.doesNotMatch(last, /1153\/1153/, 'stopped before the last batch');
  assert.ok(err.endsWith(`${ESC}[?25h${ESC}[?7h\nentrel: interrupted (SIGINT)\n`), `the cursor and line wrapping back, then the message: ${JSON.stringify(err.slice(-300))}`);
});

/** The JSON lines of a --progress-log file. */
const logLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('--progress-log writes the progress as JSON lines, off a terminal and with --quiet too: start, each phase to its end, end', () => {
  const log = join(dir, 'predict.progress.jsonl');
  const r = entrel(false, 'predict', '--data', data, '--out', join(dir, 'logged.jsonl'), '--quiet', '--progress-log', log);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', 'no bar (nor summary) on stderr');
  const lines = logLines(log);
  assert.deepEqual([lines[0].type, lines[0].command], ['start', 'predict']);
  const end = lines[lines.length - 1];
  assert.deepEqual([end.type, end.outcome], ['end', 'done']);
  assert.ok(typeof end.seconds === 'number' && end.seconds > 0, `end.seconds: ${end.seconds}`);
  const progress = lines.filter((l) => l.type === 'progress');
  for (const phase of ['predict', 'write']) {
    const of = progress.filter((l) => l.phase === phase);
    assert.ok(of.length >= 2, `${phase}: its first and last state, in ${JSON.stringify(lines)}`);
    assert.deepEqual([of[0].done, of[of.length - 1].done, of[of.length - 1].total], [0, SENTENCES, SENTENCES], phase);
    assert.equal(of.filter((l) => l.done === SENTENCES).length, 1, `${phase}: its complete state once`);
    assert.ok(typeof of[of.length - 1].rate === 'number' && of[of.length - 1].eta === 0, JSON.stringify(of[of.length - 1]));
  }
  assert.equal(progress.find((l) => l.phase === 'predict')?.unit, 'sentences');
  for (const l of lines) assert.ok(!Number.isNaN(Date.parse(String(l.time))), `a time on ${JSON.stringify(l)}`);
});

test('--progress-log of a command that fails ends with outcome failed; an unwritable log is one line naming it', () => {
  const log = join(dir, 'failed.progress.jsonl');
  const r = entrel(false, 'predict', '--model', join(dir, 'no-such-model'), '--data', data, '--out', join(dir, 'never.jsonl'), '--progress-log', log);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /no-such-model/);
  const lines = logLines(log);
  assert.deepEqual(lines.map((l) => l.type), ['start', 'end']);
  assert.equal(lines[1].outcome, 'failed');
  const bad = entrel(false, 'convert', '--to', 'jsonl', data, join(dir, 'never.jsonl'), '--progress-log', dir);
  assert.equal(bad.code, 1);
  assert.equal(bad.err, `entrel: ${dir}: cannot write the progress log: it is a directory (EISDIR)\n`);
});

test('--progress-log of extract --in and view: their phases, counted to the end', () => {
  const texts = join(dir, 'texts.txt');
  writeFileSync(texts, 'Mary Smith works for Acme Corp in Boston.\n\nJohn lives in Paris.\n');
  const [extractLog, viewLog] = [join(dir, 'extract.progress.jsonl'), join(dir, 'view.progress.jsonl')];
  const x = entrel(false, 'extract', '--in', texts, '--out', join(dir, 'texts.jsonl'), '--progress-log', extractLog);
  assert.equal(x.code, 0, x.err);
  const v = entrel(false, 'view', data, '--out', join(dir, 'view.html'), '--limit', '20', '--progress-log', viewLog);
  assert.equal(v.code, 0, v.err);
  for (const [file, command, unit, done] of [[extractLog, 'extract', 'texts', 2], [viewLog, 'view', 'documents', 20]] as const) {
    const lines = logLines(file);
    assert.deepEqual([lines[0].command, lines[lines.length - 1].outcome], [command, 'done'], file);
    const last = lines.filter((l) => l.type === 'progress').pop();
    assert.deepEqual([last?.phase, last?.unit, last?.done], [command, unit, done], file);
  }
});

test('--progress-log replaces only a progress log: an input, any other file or a named pipe is refused and left as it was', () => {
  const before = readFileSync(data, 'utf8');
  const input = entrel(false, 'convert', '--to', 'jsonl', data, join(dir, 'never2.jsonl'), '--progress-log', data);
  assert.equal(input.code, 1);
  assert.equal(input.err, `entrel: ${data}: holds something other than a progress log, which it would replace: give --progress-log another file\n`);
  assert.equal(readFileSync(data, 'utf8'), before, 'the input is untouched');
  const fifo = join(dir, 'log.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const piped = entrel(false, 'convert', '--to', 'jsonl', data, join(dir, 'never3.jsonl'), '--progress-log', fifo);
  assert.equal(piped.code, 1);
  assert.equal(piped.err, `entrel: ${fifo}: cannot write the progress log: it is not a regular file (a named pipe, a device or a socket)\n`);
  // An earlier run's log is replaced.
  const log = join(dir, 'again.progress.jsonl');
  for (let i = 0; i < 2; i++) assert.equal(entrel(false, 'convert', '--to', 'jsonl', data, join(dir, 'again.jsonl'), '--progress-log', log).code, 0);
  assert.equal(logLines(log).filter((l) => l.type === 'start').length, 1);
});

test('--progress-log at the path of the output is refused before any work (was: the output renamed over the log, which was lost)', () => {
  for (const [args, out] of [
    [['predict', '--data', data, '--out'], join(dir, 'same-predict.jsonl')],
    [['convert', '--to', 'jsonl', data], join(dir, 'same-convert.jsonl')],
  ] as const) {
    const r = entrel(false, ...args, out, '--progress-log', out);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.err, `entrel: ${out}: is the output too: the output, written at the end, would replace the progress log; give the log another name\n`);
    assert.ok(!existsSync(out), 'nothing is written');
  }
});
