/**
 * How noisy is L_mrt's gradient? MRT estimates the expected risk from K sampled outputs per sentence
 * (Algorithm 1), so each step's gradient carries sampling noise on top of the minibatch's. For a pretrained
 * model this holds each batch and its dropout masks fixed, redraws Y′(s) R times, and reports per K:
 * the mean risk Σ Q·Δ and its spread over the draws, the norm of the expected L_mrt gradient ‖E g‖, the
 * root-mean-square deviation of one draw's gradient from it, their ratio (signal-to-noise; < 1 means a
 * single step's direction is mostly sampling noise), and the cosine between the mean L_mrt gradient and
 * L̃'s gradient on the same batch.
 *
 *   npx tsx experiments/mrt/risk-variance.ts [--init experiments/nn/runs/config-crf-d04-seed-1/best]
 *     [--Ks 1,2,3,5,10] [--draws 12] [--batches 8] [--epsilon 0.1] [--alpha 1] [--label NAME] [--seed 1]
 *
 * Writes risk-variance[-NAME].md beside this file.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBatch, type Batch } from '../../src/model/encode.js';
import { manualSeed, setNumThreads, tidy, type Tensor } from '../../src/tensor/index.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { loadConfig } from '../../src/train/config.js';
import type { MrtConfig } from '../../src/train/config-schema.js';
import { drawMembers, mrtObjective, tagProposal } from '../../src/train/mrt/objective.js';
import { buildSetupFrom } from '../../src/train/nn.js';
import { TrainRng } from '../../src/train/rng.js';
import { checkedArgs, integerArg, integerListArg, numberArg } from '../../scripts/args.js';

const args = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const { values, Ks, draws, batches, seed } = checkedArgs(
  'npx tsx experiments/mrt/risk-variance.ts [--init DIR] [--Ks 1,2,3,5,10] [--draws 12] [--batches 8] [--epsilon 0.1] [--alpha 1] [--label NAME] [--seed 1]',
  {
    init: { type: 'string', default: join(here, '..', 'nn', 'runs', 'config-crf-d04-seed-1', 'best') },
    Ks: { type: 'string', default: '1,2,3,5,10' },
    draws: { type: 'string', default: '12' },
    batches: { type: 'string', default: '8' },
    epsilon: { type: 'string', default: '0.1' },
    alpha: { type: 'string', default: '1' },
    label: { type: 'string', default: '' },
    seed: { type: 'string', default: '1' },
  },
  // A bad value is one line naming the option and the usage (status 2), never a stack trace.
  ({ values }) => {
    numberArg(values.epsilon, '--epsilon', { min: 0 });
    numberArg(values.alpha, '--alpha', { above: 0 });
    return {
      values,
      Ks: integerListArg(values.Ks, '--Ks', 1),
      draws: integerArg(values.draws, '--draws', 1),
      batches: integerArg(values.batches, '--batches', 1),
      seed: integerArg(values.seed, '--seed', 0, 2 ** 31 - 1),
    };
  },
);
const init = resolve(values.init);
const label = values.label;
const sets = [`seed=${seed}`, 'threads=1', `mrt.epsilon=${values.epsilon}`, `alpha=${values.alpha}`];

const config = loadConfig(join(here, '..', '..', 'configs', 'conll04-mrt.json'), sets);
setNumThreads(config.threads);
const s = await buildSetupFrom(config, init);
s.model.train(true);
const params = [...s.model.parameters().values()];

/** All parameter gradients as one vector, then cleared. */
function takeGradient(): Float64Array {
  const parts = params.map((p) => p.grad?.toFloat64Array() ?? new Float64Array(p.numel));
  for (const p of params) p.grad = null;
  const out = new Float64Array(parts.reduce((a, x) => a + x.length, 0));
  let o = 0;
  for (const x of parts) out.set(x, (o += x.length) - x.length);
  return out;
}
const dot = (a: Float64Array, b: Float64Array) => a.reduce((acc, x, i) => acc + x * b[i], 0);
const norm = (a: Float64Array) => Math.sqrt(dot(a, a));

/** One backward pass of `loss` under the batch's fixed dropout masks (libtorch re-seeded per pass). */
function gradientOf(batch: Batch, masks: number, loss: (enc: ReturnType<typeof s.model.encode>) => Tensor): Float64Array {
  tidy(() => {
    manualSeed(masks);
    loss(s.model.encode(batch)).backward();
  });
  return takeGradient();
}

interface Row { K: number; risk: number; riskSpread: number; signal: number; noise: number; snr: number; cosLocal: number }
const rows: Row[] = Ks.map((K) => ({ K, risk: 0, riskSpread: 0, signal: 0, noise: 0, snr: 0, cosLocal: 0 }));
for (let j = 0; j < batches; j++) {
  const batch = buildBatch(s.train.slice(j * 32, (j + 1) * 32), s.vocab.words.size);
  const masks = 1000 + j;
  const local = gradientOf(batch, masks, (enc) =>
    s.model.localLoss(batch, { epoch: 100, rng: TrainRng.seeded(j), scheduleK: config.scheduleK, encoded: enc }).loss,
  );
  for (const row of rows) {
    const mrt: MrtConfig = { ...config.mrt, K: row.K };
    const rng = TrainRng.seeded(seed * 7919 + j);
    const risks: number[] = [];
    const grads: Float64Array[] = [];
    for (let r = 0; r < draws; r++)
      grads.push(
        gradientOf(batch, masks, (enc) => {
          const members = drawMembers(batch, tagProposal(s.model, enc.emissions), s.model.grammar, rng, mrt);
          const out = mrtObjective(s.model, batch, enc, members, rng, mrt);
          risks.push(out.risk.item());
          return out.loss;
        }),
      );
    const mean = new Float64Array(grads[0].length);
    for (const g of grads) g.forEach((x, i) => (mean[i] += x / draws));
    const noise = Math.sqrt(grads.reduce((a, g) => a + g.reduce((b, x, i) => b + (x - mean[i]) ** 2, 0), 0) / (draws - 1));
    const riskMean = risks.reduce((a, x) => a + x, 0) / draws;
    row.risk += riskMean / batches;
    row.riskSpread += Math.sqrt(risks.reduce((a, x) => a + (x - riskMean) ** 2, 0) / (draws - 1)) / batches;
    // ‖ḡ‖² overstates ‖E g‖² by σ²/R (the mean of R draws keeps that much noise)
    const signal = Math.sqrt(Math.max(0, dot(mean, mean) - (noise * noise) / draws));
    row.signal += signal / batches;
    row.noise += noise / batches;
    row.snr += signal / noise / batches;
    row.cosLocal += dot(mean, local) / (norm(mean) * norm(local)) / batches;
  }
  process.stderr.write(`batch ${j + 1}/${batches}\n`);
}
const md = [
  '# Sampling noise of the L_mrt gradient (CoNLL04 train, pretrained NN model)',
  '',
  `Model \`${relative(join(here, '..', '..'), init)}\`; Γ + Δ_E+R, α = ${config.mrt.alpha}, μ = ${config.mrt.mu}, ε = ${config.mrt.epsilon}; ${batches} batches of 32 training sentences, each with its dropout masks held fixed and Y′(s) redrawn ${draws} times. Means over the batches. Command: \`npx tsx experiments/mrt/risk-variance.ts ${args.join(' ')}\`.`,
  '',
  '| K | mean risk Σ Q·Δ | its std over draws | ‖E g‖ (expected gradient) | RMS deviation of one draw | signal / noise | cos(mean L_mrt gradient, L̃ gradient) |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.K} | ${r.risk.toFixed(4)} | ${r.riskSpread.toFixed(4)} | ${r.signal.toExponential(2)} | ${r.noise.toExponential(2)} | ${r.snr.toFixed(2)} | ${r.cosLocal.toFixed(3)} |`),
  '',
].join('\n');
writeFileAtomic(join(here, label ? `risk-variance-${label}.md` : 'risk-variance.md'), md);
process.stdout.write(md);
