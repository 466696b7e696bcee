/**
 * NN-phase training and inference speed of entrel beside the PyTorch reference of the same model
 * (../shared/anchors/torch_reference.py, Debian's /usr/bin/python3, OPENBLAS_NUM_THREADS=1, 2 threads),
 * in one command, on CoNLL04 (configs/conll04.json's data), both with the paper's Adadelta, batch 100.
 *
 *   npm run bench:train [-- --epochs N] [-- --infer-seconds S]
 *
 * Training: N epochs from a fresh model on both sides (dev evaluation excluded from the time); the
 * candidate pairs per batch follow each model's own predicted tags, so both sides print them.
 * Inference: whole passes over the test set with GOLD tags feeding the candidate pairs (equal pair
 * counts on both sides; printed).
 * Last line: `train train_ratio=<ours/PyTorch> infer_ratio=<ours/PyTorch>` (ratios of sentences/s).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUserError, UserError } from '../src/errors.js';
import { buildBatch } from '../src/model/encode.js';
import { clipGradNorm, setNumThreads, tidy } from '../src/tensor/index.js';
import { loadConfig } from '../src/train/config.js';
import { encodeAll, loadSplit, readingOptions } from '../src/train/data.js';
import { buildNNSetup } from '../src/train/nn.js';
import { Adadelta } from '../src/train/optim.js';
import { TrainRng } from '../src/train/rng.js';
import { anchorProblem, runPythonAnchor } from './python-anchor.js';
import { goldTagInference } from './train/gold-infer.js';
import { checkedArgs, integerArg, numberArg, usageText } from '../scripts/args.js';

const options = {
  epochs: { type: 'string', default: '2' },
  'infer-seconds': { type: 'string', default: '2' },
} as const;
const usage = usageText('npm run bench:train [-- --epochs N] [-- --infer-seconds S]', options, {
  epochs: { value: 'N', text: 'training epochs on each side, at least 1' },
  'infer-seconds': { value: 'S', text: 'seconds of inference passes on each side, at least 0; one pass at least' },
});
const { epochs, inferSeconds } = checkedArgs(usage, options, ({ values }) => ({
  epochs: integerArg(values.epochs, '--epochs', 1),
  inferSeconds: numberArg(values['infer-seconds'], '--infer-seconds', { min: 0 }),
}));
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

async function ours(): Promise<{ train: number; infer: number; pairs: number }> {
  // The reference's model, the paper's (Eq. 1 softmax tagger, argmax decoding, BiLSTM 64, no casing),
  // whatever configs/conll04.json has adopted since: both sides must do the same work.
  const paperModel = ['model.tagger=softmax', 'model.decoder=argmax', 'model.lstmHidden=64', 'model.caseDim=0', 'model.wordDropout=0', 'model.dropout=0.5'];
  const config = loadConfig(join(repo, 'configs/conll04.json'), ['optimizer=adadelta', 'glove=false', 'seed=1', ...paperModel]);
  setNumThreads(2);
  const s = await buildNNSetup(config);
  const params = s.model.parameters();
  const opt = new Adadelta(params, config.adadelta);
  const rng = TrainRng.seeded(1);
  let sents = 0;
  let seconds = 0;
  for (let e = 0; e < epochs; e++) {
    const order = rng.shuffle(s.train.map((_, i) => i));
    s.model.train();
    let pairs = 0;
    const t0 = performance.now();
    for (let j = 0; j < order.length; j += 100) {
      tidy(() => {
        const batch = buildBatch(order.slice(j, j + 100).map((i) => s.train[i]), s.vocab.words.size);
        const l = s.model.localLoss(batch, { epoch: e, rng, scheduleK: 1 });
        l.loss.backward();
        clipGradNorm([...params.values()], 1);
        opt.step();
        opt.zeroGrad();
        pairs += l.pairs;
      });
    }
    const dt = (performance.now() - t0) / 1000;
    sents += order.length;
    seconds += dt;
    console.log(`ours  epoch ${e + 1} train_s=${dt.toFixed(2)} sent_per_s=${(order.length / dt).toFixed(1)} pairs_per_batch=${(pairs / Math.ceil(order.length / 100)).toFixed(0)}`);
  }
  const test = await loadSplit(config.data.test!, readingOptions(config, 'test'));
  const enc = encodeAll(test.sentences, s.vocab, {});
  goldTagInference(s.model, enc.slice(0, 100), 100); // warm-up
  let passes = 0;
  let pairs = 0;
  const t0 = performance.now();
  do {
    pairs = goldTagInference(s.model, enc, 100);
    passes++;
  } while ((performance.now() - t0) / 1000 < inferSeconds);
  const dt = (performance.now() - t0) / 1000;
  console.log(`ours  inference (gold tags): ${enc.length} test sentences, ${(dt / passes).toFixed(4)} s/pass, ${pairs} candidate pairs/pass, ${passes} passes`);
  return { train: sents / seconds, infer: (passes * enc.length) / dt, pairs };
}

const script = resolve(repo, '..', 'shared', 'anchors', 'torch_reference.py');

function torch(): { train: number; infer: number } {
  const data = resolve(repo, '..', 'shared', 'data', 'conll04', 'unified_two_are_better');
  const r = runPythonAnchor(script, ['--data', data, '--epochs', String(epochs), '--infer-tags', 'gold',
    '--infer-min-seconds', String(inferSeconds), '--threads', '2', '--seed', '1']);
  if ('error' in r) throw new UserError(r.error);
  for (const line of r.stdout.trim().split('\n')) if (/^(epoch|inference)/.test(line)) console.log(`torch ${line}`);
  const m = /RESULT train_sent_per_s=(\S+) infer_sent_per_s=(\S+)/.exec(r.stdout);
  if (!m) throw new Error(`no RESULT line from torch_reference.py:\n${r.stdout}`);
  return { train: Number(m[1]), infer: Number(m[2]) };
}

async function main(): Promise<void> {
  // Before our side's minutes of training: a missing PyTorch is one line and exit 1.
  const problem = anchorProblem(script);
  if (problem) throw new UserError(problem);
  const a = await ours();
  const b = torch();
  console.log(`ours  train_sent_per_s=${a.train.toFixed(1)} infer_sent_per_s=${a.infer.toFixed(1)}`);
  console.log(`torch train_sent_per_s=${b.train.toFixed(1)} infer_sent_per_s=${b.infer.toFixed(1)}`);
  console.log(`train train_ratio=${(a.train / b.train).toFixed(3)} infer_ratio=${(a.infer / b.infer).toFixed(3)}`);
}

main().catch((e) => {
  if (isUserError(e)) {
    console.error(`bench:train: ${e.message}`);
    process.exit(1);
  }
  console.error(e);
  process.exit(2);
});
