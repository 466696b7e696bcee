/**
 * Trains the bundled default model (`models/conll04/`, what `Extractor.load()` and `entrel extract` use
 * when no model is named):
 *
 *   npm run train:default [-- --work DIR --out DIR --set key=value …]
 *
 * `configs/default-model.json`: the settings of configs/conll04.json, trained on CoNLL04 train + dev
 * for a fixed 90 epochs (more than the best epochs of our dev-selected runs, experiments/nn). With dev inside
 * the training data there is nothing left to select on, so the model is the LAST epoch's: the run's
 * `best/` (chosen on the "dev" file the loop requires, which here is training data) is ignored, and test
 * is used once, to report. The run lives in `--work` (default runs/default-model; resumable, re-running
 * continues it) and the model, its test scores, training config and log are written atomically to `--out`.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../src/data/diagnostics.js';
import { evaluate, type EvalReport } from '../src/eval/index.js';
import { writeModelFiles } from '../src/model/io.js';
import { predictSentences } from '../src/model/predict.js';
import { writeDirAtomic } from '../src/data/atomic.js';
import { loadConfig } from '../src/train/config.js';
import { mergeSchemas } from '../src/data/corpus.js';
import { loadSplit, readingOptions } from '../src/train/data.js';
import { runTraining } from '../src/train/loop.js';
import { hasCheckpoint } from '../src/train/checkpoint.js';
import { buildNNSetup, nnTask } from '../src/train/nn.js';
import { predictedDocuments } from '../src/train/predictions.js';
import { scriptArgs } from './args.js';
import { portableConfig } from './portable-config.js';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
// Strict: a mistyped --out must not leave the default, the bundled model, to be overwritten after the run.
const { values, sets } = scriptArgs('npm run train:default [-- --work DIR --out DIR --set key=value …]', {
  work: { type: 'string' },
  out: { type: 'string' },
  set: { type: 'string', multiple: true },
});
const workDir = resolve(values.work ?? join(repo, 'runs', 'default-model'));
const outDir = resolve(values.out ?? join(repo, 'models', 'conll04'));
const configFile = join(repo, 'configs', 'default-model.json');

const config = loadConfig(configFile, sets);
const setup = await buildNNSetup(config);
const t0 = performance.now();
// Resumed when a killed run left its checkpoint; a fresh run otherwise (without a "nothing to resume" warning).
const result = await runTraining(nnTask(setup), config, workDir, 'nn', { resume: hasCheckpoint(join(workDir, 'last')) });
// After runTraining the model holds the last epoch's weights (trained now, or restored from last/).
const { model, schema } = setup;

const test = await loadSplit(config.data.test!, readingOptions(config, 'test'));
const preds = predictSentences(model, test.sentences);
const report: EvalReport = evaluate(test.documents, predictedDocuments(test.documents, preds), {
  schema: mergeSchemas(schema, test.schema),
  diagnostics: new Diagnostics(),
});
const pct = (x: number) => Math.round(1000 * x) / 10;
const metrics = {
  test: {
    file: relative(repo, config.data.test!),
    entityF1: pct(report.entities.micro.f1),
    relationStrictF1: pct(report.relations.strict.micro.f1),
    relationBoundariesF1: pct(report.relations.boundaries.micro.f1),
  },
};
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
const portable = portableConfig(config, repo);
const meta = {
  name: 'entrel-conll04',
  version: pkg.version,
  trainedOn: `CoNLL04 train + dev (${setup.train.length} sentences), last of ${result.epochs} epochs, no model selection`,
  glove: config.glove,
  metrics,
  trainConfig: portable,
};

mkdirSync(dirname(outDir), { recursive: true });
await writeDirAtomic(outDir, 'the default model', (tmp) => {
  writeModelFiles(tmp, model, schema, meta);
  copyFileSync(configFile, join(tmp, 'training-config.json'));
  // The log's data paths relative to the repository, as the config names them: a package holds no paths
  // of the machine that trained it.
  const log = readFileSync(join(workDir, 'train.log.jsonl'), 'utf8');
  writeFileSync(join(tmp, 'train.log.jsonl'), log.replaceAll(JSON.stringify(dirname(repo) + '/').slice(1, -1), '../'));
  writeFileSync(join(tmp, 'test-eval.json'), JSON.stringify(report, null, 1) + '\n');
  writeFileSync(join(tmp, 'README.md'), readme());
});
process.stderr.write(
  `default model: ${relative(repo, outDir)} — test entity F1 ${metrics.test.entityF1}, strict relation F1 ${metrics.test.relationStrictF1} ` +
    `(${Math.round((performance.now() - t0) / 1000)} s)\n`,
);

function readme(): string {
  const t = metrics.test;
  return `# Bundled default model: CoNLL04

What \`Extractor.load()\`, \`entrel extract\`, \`entrel serve\` and \`entrel evaluate --data\` use when no model is named.
Written by \`npm run train:default\` (scripts/train-default-model.ts); do not edit by hand (checksums).

- Data: CoNLL04 train + dev (${setup.train.length} sentences): \`${portable.data.train.join('`, `')}\`.
- Settings: \`training-config.json\` (configs/default-model.json): Adam lr 1e-3, batch 32, seed ${config.seed},
  ${config.epochs} epochs (more than the best epochs of the dev-selected runs in experiments/nn), GloVe 6B 100d.
- Selection: none — the last epoch. Dev is part of the training data, so the "dev" column of
  \`train.log.jsonl\` is measured on training data, not held out. The test file was used once, to report.
- Labels: entities ${schema.entityTypes.join(', ')}; relations ${schema.relationTypes.map((r) => r.name).join(', ')}.

| CoNLL04 test (${test.sentences.length} sentences) | micro F1 |
|---|---|
| entities | ${t.entityF1.toFixed(1)} |
| relations, strict | ${t.relationStrictF1.toFixed(1)} |
| relations, boundaries | ${t.relationBoundariesF1.toFixed(1)} |

Full report: \`test-eval.json\` (\`entrel evaluate --json\` shape).
`;
}
