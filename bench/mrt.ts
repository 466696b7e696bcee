/**
 * Cost of an MRT epoch against an NN epoch (issue 5: ≤ 2× at K = 3), measured in one run on CoNLL04
 * train from one pretrained model: NN and MRT epochs alternate (so machine load hits both alike), each
 * a full pass of optimiser steps with the config's batch size, dev evaluation excluded.
 *
 *   npm run bench:mrt -- --init DIR [--rounds 2] [--K 3] [--set key=value …]
 *
 * Last line: `mrt epoch_ratio=<MRT seconds / NN seconds> K=<K> cpu_ratio=<the same in process CPU seconds>`.
 * With `--set threads=1` the CPU ratio is the work ratio, which other jobs on the machine hardly move.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clipGradNorm, setNumThreads, tidy } from '../src/tensor/index.js';
import { loadConfig } from '../src/train/config.js';
import type { TrainTask } from '../src/train/loop.js';
import { mrtTask } from '../src/train/mrt/task.js';
import { buildSetupFrom, nnTask } from '../src/train/nn.js';
import { createOptimizer } from '../src/train/optim.js';
import { TrainRng } from '../src/train/rng.js';
import { checkedArgs, integerArg, usageText } from '../scripts/args.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const options = {
  init: { type: 'string' },
  rounds: { type: 'string', default: '2' },
  K: { type: 'string', default: '3' },
  set: { type: 'string', multiple: true },
} as const;
const usage = usageText('npm run bench:mrt -- --init MODEL_DIR [--rounds N] [--K K] [--set key=value …]', options, {
  init: { value: 'MODEL_DIR', text: 'the pretrained model both kinds of epoch start from (required)' },
  rounds: { value: 'N', text: 'rounds of one NN and one MRT epoch, at least 1' },
  K: { value: 'K', text: "MRT's samples per sentence, at least 1" },
  set: { value: 'key=value …', text: 'settings over configs/conll04-mrt.json, as `entrel train --set`', default: 'none' },
});
// A bad --set is refused like a bad option: the config is read with the arguments.
const { init, rounds, K, config } = checkedArgs(usage, options, ({ values, sets }) => {
  if (!values.init) throw new Error('--init: missing; give the pretrained model to start from (--init MODEL_DIR)');
  const K = integerArg(values.K, '--K', 1);
  return {
    init: values.init,
    rounds: integerArg(values.rounds, '--rounds', 1),
    K,
    config: loadConfig(join(repo, 'configs/conll04-mrt.json'), [`K=${K}`, ...sets]),
  };
});
setNumThreads(config.threads);
// The --init model's settings and weights, as `entrel train --init` takes them.
const s = await buildSetupFrom(config, resolve(init));
const params = s.model.parameters();

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Seconds (wall, CPU) of one epoch of optimiser steps (a fresh optimiser each time: same work on every epoch). */
function epoch(task: TrainTask, e: number): { seconds: number; cpu: number; pairs: number } {
  const rng = TrainRng.seeded(config.seed + e);
  const optim = createOptimizer(config.optimizer, params, config);
  const order = rng.shuffle(Array.from({ length: task.size }, (_, i) => i));
  task.setTraining(true);
  let pairs = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  for (let j = 0; j < order.length; j += config.batchSize)
    tidy(() => {
      const out = task.batchLoss(order.slice(j, j + config.batchSize), { epoch: e, rng });
      out.loss.backward();
      clipGradNorm([...params.values()], config.clip);
      optim.step();
      optim.zeroGrad();
      pairs += out.pairs;
    });
  return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0, pairs };
}

const nn = nnTask(s);
const mrt = mrtTask(s);
let [nnSec, mrtSec, nnCpu, mrtCpu] = [0, 0, 0, 0];
for (let r = 0; r < rounds; r++) {
  const a = epoch(nn, r);
  const b = epoch(mrt, r);
  nnSec += a.seconds;
  mrtSec += b.seconds;
  nnCpu += a.cpu;
  mrtCpu += b.cpu;
  const took = (x: { seconds: number; cpu: number; pairs: number }) => `${x.seconds.toFixed(1)} s (CPU ${x.cpu.toFixed(1)} s, ${x.pairs} pairs)`;
  process.stdout.write(`round ${r + 1}: NN ${took(a)}, MRT K=${K} ${took(b)}\n`);
}
process.stdout.write(`mrt epoch_ratio=${(mrtSec / nnSec).toFixed(3)} K=${K} cpu_ratio=${(mrtCpu / nnCpu).toFixed(3)}\n`);
