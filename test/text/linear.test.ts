/**
 * Tokenizing and splitting cost time linear in the text (review 12b H2: two quadratic regexes held a
 * server thread for minutes), and the splitter runs in time slices for a server, giving its event loop turns.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { tokenizedSentences, tokenizedSentencesInSlices } from '../../src/text/index.js';
import { describeGrowth, growth, linearityProperty, RATIO, REVIEW_CASES } from './linear.js';

test("the review's inputs cost time linear in their length (16k characters took 0.1–0.6 s, 64k 1–11 s)", () => {
  for (const [prefix, unit, suffix] of REVIEW_CASES)
    for (const style of ['ptb', 'conll04'] as const)
      for (const g of growth(prefix, unit, suffix, style, 8000)) assert.ok(g.large <= RATIO * g.small + 3, describeGrowth(prefix, unit, suffix, g));
});

test(`property: a unit repeated 4n times costs at most ${RATIO}× the unit repeated n times, to tokenize and to split`, () => {
  const t0 = performance.now();
  fc.assert(linearityProperty(6000), { seed: 1207, numRuns: 60, endOnFailure: true });
  console.log(`60 units: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});

test('in time slices: the same sentences, the event loop gets turns, and an abort stops the work', async () => {
  const mixed = 'Mr. Smith met U.S. officials.\n\nSee http://x.org/a. He left!  Ann\u00ADe said "no." 😀 Done';
  assert.deepEqual(await tokenizedSentencesInSlices(mixed, { style: 'conll04', newlines: 'line' }), tokenizedSentences(mixed, { style: 'conll04', newlines: 'line' }));
  // A text of many tokens that each ask ICU about a grapheme junction: about a second.
  const slow = 'a\u200D.'.repeat(150_000);
  let last = performance.now();
  let longest = 0;
  let turns = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    turns++;
  }, 2);
  try {
    last = performance.now();
    const t0 = performance.now();
    const sentences = await tokenizedSentencesInSlices(slow, {}, { sliceMs: 10 });
    const took = performance.now() - t0;
    assert.deepEqual(sentences, tokenizedSentences(slow));
    assert.ok(turns >= 5, `the event loop had ${turns} turns in ${took.toFixed(0)} ms`);
    assert.ok(longest < 300, `the event loop waited ${longest.toFixed(0)} ms for a turn (of ${took.toFixed(0)} ms)`);
  } finally {
    clearInterval(timer);
  }
  const stop = new AbortController();
  const reason = new Error('stopped');
  setTimeout(() => stop.abort(reason), 20);
  const t0 = performance.now();
  await assert.rejects(tokenizedSentencesInSlices(slow, {}, { signal: stop.signal }), (e) => e === reason);
  assert.ok(performance.now() - t0 < 500, `stopped after ${(performance.now() - t0).toFixed(0)} ms`);
});
