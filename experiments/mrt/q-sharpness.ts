/**
 * How sharp is Q (Eq. 6) on the training set for a pretrained NN model, per α? MRT only moves the model
 * where Q spreads over the samples: with Q(gold) ≈ 1, the risk Σ Q·Δ and the hinge are ≈ 0 and so are
 * their gradients. Draws Y′(s) (K samples, ε-greedy) for every training sentence under the training
 * mode's dropout, as MRT does, and reports for each α (μ = 1): mean Q(gold), the share of sentences with
 * Q(gold) > 0.99, the mean risk Σ Q·Δ_E+R, and the mean Δ_E+R of the samples themselves.
 *
 *   npx tsx experiments/mrt/q-sharpness.ts --init experiments/nn/runs/seed-1/best [--K 2] [--seed 1]
 *     [--sampler tokens|chunkings|kbest] [--epsilon 0.1] [--data FILE] [--label NAME]
 *
 * `--data FILE` measures other sentences than CoNLL04 train (e.g. dev, which a model chosen on dev has
 * not fitted: the part of the held-out study's fine-tuning data where MRT has something to push on). Its
 * words the model lacks get new rows, as when MRT fine-tunes on that data.
 *
 * Writes q-sharpness.md (q-sharpness-chunkings.md with `--sampler chunkings`, q-sharpness-NAME.md with
 * `--label NAME`) beside this file. With a CRF tagger the draws come from the CRF unless `--sampler kbest`.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBatch } from '../../src/model/encode.js';
import { noGrad, setNumThreads, tidy } from '../../src/tensor/index.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { loadConfig } from '../../src/train/config.js';
import { drawMembers, mrtObjective, tagProposal } from '../../src/train/mrt/objective.js';
import { buildSetupFrom } from '../../src/train/nn.js';
import { TrainRng } from '../../src/train/rng.js';
import { checkedArgs, choiceArg, integerArg, numberArg } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values, init, K, seed } = checkedArgs(
  'npx tsx experiments/mrt/q-sharpness.ts --init experiments/nn/runs/seed-1/best [--K 2] [--seed 1] [--sampler tokens|chunkings|kbest] [--epsilon 0.1] [--data FILE] [--label NAME]',
  {
    init: { type: 'string', default: join(here, '..', 'nn', 'runs', 'seed-1', 'best') },
    K: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    sampler: { type: 'string', default: 'tokens' },
    epsilon: { type: 'string', default: '0.1' },
    label: { type: 'string' },
    data: { type: 'string' },
  },
  // A bad value is one line naming the option and the usage (status 2), never a stack trace.
  ({ values }) => {
    choiceArg(values.sampler, '--sampler', ['tokens', 'chunkings', 'kbest']);
    numberArg(values.epsilon, '--epsilon', { min: 0 });
    return { values, init: resolve(values.init), K: integerArg(values.K, '--K', 1), seed: integerArg(values.seed, '--seed', 0, 2 ** 31 - 1) };
  },
);
const { sampler, epsilon, data } = values;
const label = values.label ?? (sampler === 'tokens' ? '' : sampler);
const ALPHAS = [0.0001, 0.01, 0.1, 1, 10];

const config = loadConfig(join(here, '..', '..', 'configs', 'conll04-mrt.json'), [`K=${K}`, `seed=${seed}`, 'threads=1', `mrt.sampler=${sampler}`, `mrt.epsilon=${epsilon}`, ...(data ? [`data.train=${data}`] : [])]);
setNumThreads(config.threads);
const s = await buildSetupFrom(config, init);
s.model.train(true);
const rows = ALPHAS.map((alpha) => ({ alpha, qGold: 0, sharp: 0, risk: 0, sampleDelta: 0, samples: 0, n: 0 }));
const rng = TrainRng.seeded(seed);
noGrad(() => {
  for (let j = 0; j < s.train.length; j += 32) {
    const batch = buildBatch(s.train.slice(j, j + 32), s.vocab.words.size);
    tidy(() => {
      const enc = s.model.encode(batch);
      const members = drawMembers(batch, tagProposal(s.model, enc.emissions), s.model.grammar, rng, config.mrt);
      for (const r of rows) {
        // The same members and relation draws for every α: the rng is re-seeded per batch.
        const out = mrtObjective(s.model, batch, enc, members, TrainRng.seeded(seed + j), { ...config.mrt, alpha: r.alpha, gamma: false });
        const Q = out.Q.toArray() as number[][];
        Q.forEach((q, b) => {
          r.qGold += q[0];
          if (q[0] > 0.99) r.sharp++;
          r.risk += q.reduce((a, x, k) => a + x * (out.delta[b][k] ?? 0), 0);
          r.n++;
          for (const d of out.delta[b].slice(1)) (r.sampleDelta += d), r.samples++;
        });
      }
    });
  }
});
const pct = (x: number) => (100 * x).toFixed(1);
const kbest = sampler === 'kbest';
const md = [
  `# Sharpness of Q on ${data ? relative(process.cwd(), resolve(data)) : 'CoNLL04 train'} (pretrained NN model, μ = 1)`,
  '',
  `Model \`${relative(join(here, '..', '..'), init)}\`, K = ${K}, ${kbest ? 'no draws (ε unused)' : `ε = ${config.mrt.epsilon}`}, sampler ${sampler}, seed ${seed}; ${rows[0].n} sentences. Command: \`npx tsx experiments/mrt/q-sharpness.ts --init … --K ${K} --sampler ${sampler}${kbest ? '' : ` --epsilon ${epsilon}`}${data ? ` --data ${data}` : ''}${values.label !== undefined ? ` --label ${label}` : ''}\`.`,
  '',
  '| α | mean Q(gold) | sentences with Q(gold) > 0.99 | mean risk Σ Q·Δ_E+R | mean Δ_E+R of the samples |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.alpha} | ${r.qGold / r.n >= 0.9995 ? '> 0.999' : (r.qGold / r.n).toFixed(3)} | ${pct(r.sharp / r.n)} % | ${(r.risk / r.n).toFixed(4)} | ${(r.sampleDelta / Math.max(1, r.samples)).toFixed(3)} |`),
  '',
].join('\n');
writeFileAtomic(join(here, label ? `q-sharpness-${label}.md` : 'q-sharpness.md'), md);
process.stdout.write(md);
