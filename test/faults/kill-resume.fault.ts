/**
 * Real `kill -9` of `entrel train` at seeded random moments, then `--resume` until the run completes: it
 * must finish, lose at most the epoch in flight, and end with the same best dev score and the same best/
 * model checksum as an uninterrupted run with the same seed — for NN training and for MRT fine-tuning.
 *
 * Slow (a dozen CLI processes), so not part of `npm test`: run by `npm run test:faults`.
 * ENTREL_FAULT_KILLS (kills per run, default 4) and ENTREL_FAULT_SEED (default 7) vary it.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bestChecksum, cli, killAndResume, loggedEpochs, TINY_CONFIG, type Scenario } from './harness.js';
import { tempDir } from '../temp-dir.js';

const KILLS = Number(process.env.ENTREL_FAULT_KILLS ?? 4);
const SEED = Number(process.env.ENTREL_FAULT_SEED ?? 7);
const root = tempDir('entrel-kill-');

const common = ['--config', TINY_CONFIG, '--quiet', '--json'];
/** Every kind of training run; MRT starts from the NN scenario's uninterrupted model. */
const SCENARIOS: Scenario[] = [
  { name: 'NN', args: (out) => ['train', ...common, '--out', out] },
  { name: 'MRT', args: (out) => ['train', '--mrt', '--init', join(root, 'NN-reference', 'best'), ...common, '--set', 'epochs=12', '--out', out] },
];

SCENARIOS.forEach((s, i) => {
  test(`${s.name} training killed -9 ${KILLS} times and resumed ends as the uninterrupted run`, { timeout: 300_000 }, async (t) => {
    const refOut = join(root, `${s.name}-reference`);
    const ref = await cli(s.args(refOut));
    assert.equal(ref.code, 0, ref.stderr);
    const want = JSON.parse(ref.stdout) as { bestScore: number; bestEpoch: number; epochs: number; history: { seconds: number; evalSeconds: number }[] };
    const epochMs = (1000 * want.history.reduce((a, h) => a + h.seconds + h.evalSeconds, 0)) / want.epochs;

    const out = join(root, `${s.name}-killed`);
    const { kills, final } = await killAndResume(s, out, KILLS, SEED + i, { epochs: want.epochs, epochMs });
    assert.equal(final.code, 0, final.stderr);
    const got = JSON.parse(final.stdout) as typeof want;
    t.diagnostic(`${kills.length} kills: ${kills.map((k) => `${k.extraMs} ms into epoch ${k.atEpoch + 1} (checkpoint ${k.checkpoint}, logged ${k.logged})`).join('; ')}`);

    // The faults must have hit the run, or this proves nothing.
    assert.ok(kills.length >= Math.min(2, KILLS), `only ${kills.length} kills landed`);
    // At most the epoch in flight is lost: the log never runs more than one epoch past the checkpoint.
    for (const k of kills) assert.ok(k.logged - k.checkpoint <= 1, `kill in epoch ${k.atEpoch + 1}: logged ${k.logged}, checkpoint ${k.checkpoint}`);

    assert.equal(got.bestScore, want.bestScore);
    assert.equal(got.bestEpoch, want.bestEpoch);
    assert.equal(got.epochs, want.epochs);
    assert.equal(bestChecksum(out), bestChecksum(refOut), 'best/ differs from the uninterrupted run');
    assert.deepEqual(loggedEpochs(out), Array.from({ length: want.epochs }, (_, e) => e + 1), 'log has every epoch once');
    // Nothing half-written is left behind by the kills.
    assert.deepEqual(readdirSync(out).sort(), ['best', 'curve.svg', 'last', 'train.log.jsonl']);
  });
});
