/**
 * Tokenizing and splitting cost time linear in the text (review 12b H2: two quadratic regexes held a
 * server thread for minutes), and the splitter runs in time slices for a server, giving its event loop turns.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tokenizedSentences, tokenizedSentencesInSlices } from '../../src/text/index.js';
import { stopwatch, watchTurns } from '../cpu-clock.js';
import { RATIO } from './linear.js';

/** Most seconds a timing check may take (about 5 and 10 on an idle machine; a quadratic text takes minutes). */
const CHECK_SECONDS = 300;

/**
 * Runs one of linear.ts's timing checks in a child process started with --single-threaded-gc, where the
 * process's CPU time is the tokenizer's own (the collector's helper threads do not add theirs), so that
 * neither a busy machine nor the collector bends the ratios; killed after CHECK_SECONDS. Fails with the
 * check's message: the text, its two sizes and their times.
 */
function checkInChild(check: 'review' | 'property'): void {
  const linear = new URL('./linear.ts', import.meta.url).href;
  const script = `
import fc from 'fast-check';
import { describeGrowth, growth, linearityProperty, RATIO, REVIEW_CASES } from ${JSON.stringify(linear)};
try {
  if (process.argv[1] === 'review') {
    for (const [prefix, unit, suffix] of REVIEW_CASES)
      for (const style of ['ptb', 'conll04'])
        for (const g of growth(prefix, unit, suffix, style, 8000)) if (!(g.large <= RATIO * g.small + 3)) throw new Error(describeGrowth(prefix, unit, suffix, g));
  } else {
    const t0 = performance.now();
    fc.assert(linearityProperty(6000), { seed: 1207, numRuns: 60, endOnFailure: true });
    console.log(\`60 units: \${((performance.now() - t0) / 1000).toFixed(1)} s\`);
  }
} catch (e) {
  process.stderr.write(\`\${e.message}\${e.cause ? \`\\n\${e.cause.message}\` : ''}\\n\`);
  process.exitCode = 1;
}`;
  const r = spawnSync(process.execPath, ['--single-threaded-gc', '--import', 'tsx', '--input-type=module', '-e', script, check], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: CHECK_SECONDS * 1000,
    killSignal: 'SIGKILL',
  });
  assert.equal(r.signal, null, `the ${check} check ran over ${CHECK_SECONDS} s (a quadratic text takes minutes): ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  if (r.stdout) console.log(r.stdout.trim());
}

test("the review's inputs cost time linear in their length (16k characters took 0.1–0.6 s, 64k 1–11 s)", () => checkInChild('review'));

test(`property: a unit repeated 4n times costs at most ${RATIO}× the unit repeated n times, to tokenize and to split`, () => checkInChild('property'));

test('in time slices: the same sentences, the event loop gets turns, and an abort stops the work', async () => {
  const mixed = 'Mr. Smith met U.S. officials.\n\nSee http://x.org/a. He left!  Ann\u00ADe said "no." 😀 Done';
  assert.deepEqual(await tokenizedSentencesInSlices(mixed, { style: 'conll04', newlines: 'line' }), tokenizedSentences(mixed, { style: 'conll04', newlines: 'line' }));
  // A text of many tokens that each ask ICU about a grapheme junction: about a second.
  const slow = 'a\u200D.'.repeat(150_000);
  // The longest this thread held the loop, not counting the time other processes had the CPU (cpu-clock.ts).
  const clock = stopwatch();
  const watch = watchTurns(2);
  const sentences = await tokenizedSentencesInSlices(slow, {}, { sliceMs: 10 }).finally(() => watch.stop());
  const { turns, longestMs, longestWallMs } = watch.stop();
  const took = clock.ms();
  assert.deepEqual(sentences, tokenizedSentences(slow));
  assert.ok(turns >= 5, `the event loop had ${turns} turns in ${took.toFixed(0)} ms`);
  assert.ok(longestMs < 300, `the event loop waited ${longestMs.toFixed(0)} ms for a turn (${longestWallMs.toFixed(0)} ms of wall time; the whole took ${took.toFixed(0)} ms)`);
  const stop = new AbortController();
  const reason = new Error('stopped');
  setTimeout(() => stop.abort(reason), 20);
  const aborted = stopwatch();
  await assert.rejects(tokenizedSentencesInSlices(slow, {}, { signal: stop.signal }), (e) => e === reason);
  assert.ok(aborted.ms() < 500, `stopped after ${aborted.ms().toFixed(0)} ms (${aborted.wallMs().toFixed(0)} ms of wall time)`);
});
