/**
 * The MRT tables pair each run with the NN row of the very model it started from (experiments/mrt/report.ts):
 * a rerun cell fine-tuned from another NN model must not move the gains of the rows committed before it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { markdown, mergeResults, nnRowOf, pairedGains, type RunResult } from '../../experiments/mrt/report.js';

const row = (name: string, seed: number, relF1: number, init?: string): RunResult => ({
  study: 'table2-heldout', name, seed, settings: [], bestEpoch: 1, epochs: 1, secondsPerEpoch: 0,
  dev: { relF1, entF1: relF1 }, test: { relF1, entF1: relF1, relBoundariesF1: relF1 }, ...(init !== undefined && { init }),
});

// Committed before runs recorded their NN model: no `init` anywhere (every committed MRT row is so).
const committed = [row('nn', 1, 0.6), row('nn', 2, 0.6), row('gamma-delta-ER', 1, 0.61), row('gamma-delta-ER', 2, 0.62), row('delta-E', 1, 0.605), row('delta-E', 2, 0.6)];

test('a rerun from another NN model gets its own NN row; the committed rows keep theirs (review 10b F2)', () => {
  // The review's trial: gamma-delta-ER seed 1 rerun from a 2-epoch NN model, whose NN row is scored anew.
  const results = mergeResults(committed, [row('nn', 1, 0.1, 'tiny')], [row('gamma-delta-ER', 1, 0.15, 'tiny')]);
  assert.equal(results.filter((r) => r.name === 'nn' && r.seed === 1).length, 2, 'the committed NN row stays beside the new one');
  assert.deepEqual(pairedGains(results, 'table2-heldout', 'delta-E').map((g) => +g.toFixed(4)), [0.005, 0], 'the committed rows keep their gains');
  assert.deepEqual(pairedGains(results, 'table2-heldout', 'gamma-delta-ER').map((g) => +g.toFixed(4)), [0.05, 0.02], 'the rerun is paired with its own model');
  assert.equal(nnRowOf(results, results.find((r) => r.name === 'gamma-delta-ER' && r.seed === 1)!)!.init, 'tiny');
  assert.equal(nnRowOf(results, results.find((r) => r.name === 'delta-E' && r.seed === 1)!)!.init, undefined);
  const md = markdown(results, { table2: ['gamma-delta-ER', 'delta-E'], tables: [['table2-heldout', 'heldout-seed', 'best']], alphas: [], mus: [], ks: [] });
  assert.match(md, /\| delta-E \| 1,2 \| [^|]+ \| \+0\.3 ± 0\.4 \|/);
  assert.match(md, /Seed 1: the runs started from more than one NN model/);
});

test('a row without init pairs with the NN row committed with it, even one that records its model', () => {
  // experiments/mrt/results.json: table2-sel-w1 seeds 1–3 have an NN row with init and MRT rows without.
  const results = [row('nn', 1, 0.6, 'm1'), row('gamma-delta-ER', 1, 0.62)];
  assert.deepEqual(pairedGains(results, 'table2-heldout', 'gamma-delta-ER').map((g) => +g.toFixed(4)), [0.02]);
  // A row recording a model no NN row is about has no pair, rather than a wrong one.
  assert.deepEqual(pairedGains([row('nn', 1, 0.6, 'm1'), row('gamma-delta-ER', 1, 0.62, 'm2')], 'table2-heldout', 'gamma-delta-ER'), []);
});

test('an NN row rescored from the same model replaces the committed one in place', () => {
  const same = mergeResults([row('nn', 1, 0.6, 'm1'), row('delta-E', 1, 0.61, 'm1')], [row('nn', 1, 0.6, 'm1')], []);
  assert.equal(same.length, 2);
  // A committed row without init whose scores the model on disk repeats exactly is that model: it gets the init.
  const legacy = mergeResults([row('nn', 1, 0.6), row('delta-E', 1, 0.61)], [row('nn', 1, 0.6, 'm1')], [row('gamma', 1, 0.65, 'm1')]);
  assert.deepEqual(legacy.map((r) => [r.name, r.init]), [['nn', 'm1'], ['delta-E', undefined], ['gamma', 'm1']]);
  assert.deepEqual(pairedGains(legacy, 'table2-heldout', 'gamma').map((g) => +g.toFixed(4)), [0.05]);
  assert.deepEqual(pairedGains(legacy, 'table2-heldout', 'delta-E').map((g) => +g.toFixed(4)), [0.01]);
});

test('the committed results.json reads as before: every committed row keeps its one NN pair', () => {
  const results = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'experiments', 'mrt', 'results.json'), 'utf8')) as RunResult[];
  for (const r of results.filter((x) => x.name !== 'nn')) {
    const nn = results.filter((b) => b.study === r.study && b.name === 'nn' && b.seed === r.seed);
    // Every study but the unlabelled fig3/fig4 grids (dev only, no NN row) has exactly one NN row per seed.
    if (nn.length === 0) continue;
    assert.equal(nn.length, 1, `${r.study} seed ${r.seed}`);
    assert.equal(nnRowOf(results, r), nn[0], `${r.study}/${r.name}/${r.seed}`);
  }
});
