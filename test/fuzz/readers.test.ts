/**
 * The fixed-seed fuzz slice: every corpus reader, the types file and the config loader, fed damaged
 * versions of valid inputs (truncations, bit flips, invalid UTF-8, wrong types, huge numbers, deep
 * nesting…). Each case must end in a valid parse or a one-line UserError naming the file. The longer run
 * is `npm run bench:fuzz`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from './drive.js';
import { targets } from './targets.js';

/** Fixed, so CI sees the same cases every run; the bench varies it. */
const SEED = 20261124;
const RUNS = 150;

for (const target of await targets()) {
  test(`fuzz ${target.name}: ${RUNS} damaged inputs end in a parse or a located UserError`, { timeout: 60_000 }, async (t) => {
    const c = await fuzz(target, SEED, RUNS);
    t.diagnostic(`${target.name}: ${c.cases} cases, ${c.parsed} parsed, ${c.userErrors} user errors, slowest ${c.maxMs.toFixed(0)} ms`);
    assert.equal(c.cases, RUNS);
    // The slice must exercise both sides of the property, or it proves little.
    assert.ok(c.userErrors > RUNS / 4, `only ${c.userErrors} cases were rejected`);
  });
}
