/**
 * NN (local-loss) system on CoNLL04: the optimiser study, the tagger levers and the 3-seed results.
 *
 *   npx tsx experiments/nn/run.ts [--study optim|words|screen|tagger|seeds|seeds-dropout0.3|seeds-config|seeds-config-c50|seeds-config-select|seeds-config-ema|seeds-config-dropout0.4|seeds-config-layers2|seeds-config-lrdecay|seeds-config-entw2|seeds-config-b16|seeds-config-cw234|seeds-config-crf|seeds-config-crf-d04|seeds-config-crf-d04-locked|seeds-config-crf-d04-lm|seeds-config-crf-d04-ema|seeds-config-crf-d04-static|seeds-config-crf-d04-h256|seeds-config-crf-d04-timedecay|seeds-config-crf-d04-e20|seeds-traindev|seeds-heldout|seeds-heldout-v200|scierc-paper|scierc-crf|scierc-crf-e100|all] [--only NAME-PART[,NAME-PART…]] [--out DIR] [--set key=value …]
 *
 * - optim: Adadelta (the paper's lr 1, ρ 0.9, ε 1e-6) vs Adam (lr 1e-3) at batch 100 and 32, seed 1:
 *   best dev strict relation F1, the epoch and wall-clock seconds to reach it. Dev only.
 * - words: fine-tuned (the paper) vs frozen GloVe word embeddings, seed 1, dev only.
 * - screen: Adam lr 2e-3, dropout 0.3 (seed 1, dev only; compare with words-tuned at the same budget).
 * - tagger: Viterbi decoding alone, then with a casing embedding, word dropout or a wider BiLSTM
 *   (seed 1, dev only, up to 100 epochs).
 * - seeds: the paper's tagger (argmax decoding) with the optim study's optimiser, seeds 1, 2, 3; the
 *   model is chosen on dev (best/), then scored once on test. seeds-dropout0.3: the same with dropout 0.3.
 * - seeds-config: configs/conll04.json before the CRF (the tagger levers chosen on dev), seeds 1, 2, 3.
 * - seeds-config-c50: the same with 50 char-CNN filters per width.
 * - seeds-config-select: configs/conll04.json choosing best/ on the mean of dev entity and relation F1.
 * - seeds-config-ema: configs/conll04.json with an exponential moving average of the weights (ema 0.99).
 * - seeds-config-dropout0.4: configs/conll04.json with dropout 0.4.
 * - seeds-config-layers2: configs/conll04.json with a second BiLSTM layer (dropout between the layers).
 * - seeds-config-lrdecay: configs/conll04.json halving the learning rate after 5 epochs without a better dev score.
 * - seeds-config-entw2: configs/conll04.json with L̃ = 2·L_ent + L_rel.
 * - seeds-config-b16: configs/conll04.json with batches of 16.
 * - seeds-config-cw234: configs/conll04.json with char-CNN widths 2, 3 and 4.
 * - seeds-config-crf: configs/conll04.json with a linear-chain CRF over the emissions instead of the softmax.
 * - seeds-config-crf-d04: the same with dropout 0.4.
 * - seeds-config-crf-d04-locked: the same with one dropout mask per sentence (variational dropout).
 * - seeds-config-crf-d04-lm: the CRF configuration with a language-model objective (Rei 2017, γ = 0.1).
 * - seeds-config-crf-d04-ema: the CRF configuration with a moving average of the weights (decay 0.99).
 * - seeds-config-crf-d04-static: the CRF configuration with a frozen second channel of GloVe word vectors.
 * - seeds-config-crf-d04-h256: the CRF configuration with a BiLSTM of 256 per direction.
 * - seeds-config-crf-d04-timedecay: the CRF configuration with the rate lr / (1 + 0.05·epoch) (Ma & Hovy 2016).
 * - seeds-config-crf-d04-e20: the CRF configuration stopped after 20 epochs, before it fits the training set
 *   (MRT starts from these in experiments/mrt, label crfd04-from-e20).
 * - seeds-traindev: configs/default-model.json, the bundled model's recipe — the configuration trained on CoNLL04
 *   train + dev (1,153 sentences, SpERT's protocol for its final models) for a fixed 90 epochs, the longest of
 *   the dev-selected seeds-config-crf-d04 runs' best epochs — keeping the LAST epoch (dev is training data
 *   here, so nothing is selected on it); seeds 1–3, scored once on test.
 * - seeds-heldout: configs/conll04.json as it is, rerun with the code of 2026-12-04 (train only, chosen on dev), seeds 1–9: the NN models
 *   that experiments/mrt's held-out study fine-tunes on train + dev (label heldout).
 * - seeds-heldout-v200: the same, seeds 4–6, scoring dev every 200 training sentences (the authors' protocol).
 * - scierc-paper, scierc-crf: SciERC with the paper's tagger, and with the tagger levers configs/conll04.json
 *   adopted (CRF, Viterbi, casing, BiLSTM 128, dropout 0.4; now configs/scierc.json); 3 seeds each.
 * - scierc-crf-e100: the latter with 100 epochs instead of 60.
 * Every CoNLL04 run starts from configs/conll04.json as it was before the CRF was adopted (BEFORE_CRF: the softmax
 * tagger, dropout 0.5), then applies its own settings: the config file has moved on since most of these ran,
 * and a study must keep meaning what it measured. The config now is seeds-config-crf-d04's.
 * Runs before the tagger study pin the paper's tagger (PAPER_TAGGER), which was then the only one.
 * Every run lives in experiments/nn/runs/<name>/ (best/, last/, train.log.jsonl, curve.svg, result.json);
 * a finished run (result.json) is skipped and an interrupted one resumed, so the command can be re-run
 * after a kill. Writes results.json and results.md (mean ± std) beside this file.
 *
 * A finished run counts only with the settings it ran with (its study's, the `--set` items but `threads`,
 * and the budget, `epochs` and `patience`), compared as the config resolves them (`--set glove=true`,
 * the default written out, finds the run made without it): asked with others, the command stops before
 * training anything and names the run and the settings that differ. An interrupted run may be resumed
 * with another budget; its result.json records the budget it ended with (`budget`, and `budget.replaced`).
 *
 * `--only` takes names or parts of names, comma-separated: for each part the run of exactly that name if
 * the study has one, else every run whose name contains it. `--out DIR` writes everything under DIR
 * instead of beside this file: DIR/runs/<name>/ and DIR/results.json, DIR/results.md, which then hold only
 * the runs made there (a trial at a tiny budget leaves the committed tables alone):
 *
 *   npx tsx experiments/nn/run.ts --study seeds --only seed-1 --out /tmp/nn-trial --set threads=1 epochs=1
 *
 * experiments/mrt/run.ts starts from such runs with `--nn-dir /tmp/nn-trial`.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/train/config.js';
import type { TrainConfig } from '../../src/train/config-schema.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { readingOptions } from '../../src/train/data.js';
import { evaluateModel } from '../../src/train/evaluate.js';
import { runTraining } from '../../src/train/loop.js';
import { buildNNSetup, nnTask } from '../../src/train/nn.js';
import { keptModelDir, keptScores, writeFinalModel } from '../kept-model.js';
import { scriptArgs } from '../../scripts/args.js';
import { askedBudget, cellBudget, changedSettings, configResolver, refuseChanged, runScript, settingsOf, UsageError, type Budget } from './cells.js';
import { CONLL04, STUDIES, type Base, type Run } from './studies.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

interface RunResult {
  name: string;
  study: string;
  settings: Record<string, unknown>;
  /** The budget the run ended with (runs since 2026-12; earlier ones: their settings' epochs and patience, else the config's). */
  budget?: Budget;
  bestEpoch: number;
  epochs: number;
  secondsToBest: number;
  devRelF1: number;
  devEntF1: number;
  test?: { relF1: number; entF1: number; relBoundariesF1: number };
}

/** One run of a study, in `runsDir`/<name>. */
interface Cell {
  study: string;
  name: string;
  sets: string[];
  withTest: boolean;
  base: Base;
  dir: string;
}

const USAGE = 'npx tsx experiments/nn/run.ts [--study NAME|all] [--only NAME-PART[,NAME-PART…]] [--out DIR] [--set key=value …]';

/**
 * The result of a finished cell, or undefined. One that ran with other settings than `extra` asks now
 * (or a budget they resolve to otherwise) is refused: it is not the run asked for. Settings compare as
 * the config resolves them: one written out at its default is no other setting.
 */
function finishedResult(cell: Cell, extra: string[]): RunResult | undefined {
  const done = join(cell.dir, 'result.json');
  if (!existsSync(done)) return undefined;
  const prior = JSON.parse(readFileSync(done, 'utf8')) as RunResult;
  const file = join(repo, cell.base.file);
  const settings = Object.fromEntries(Object.entries(prior.settings ?? {}).map(([k, v]) => [k, String(v)]));
  const changes = changedSettings(
    { settings, budget: prior.budget },
    settingsOf(cell.sets),
    settingsOf([...cell.sets, ...extra]),
    askedBudget(file, [...cell.base.pinned, ...cell.sets, ...extra]),
    askedBudget(file, [...cell.base.pinned, ...cell.sets]),
    configResolver(file, cell.base.pinned),
  );
  refuseChanged(cell.dir, changes, 'another --out DIR');
  return prior;
}

async function run(cell: Cell, extra: string[]): Promise<RunResult> {
  const prior = finishedResult(cell, extra);
  if (prior) return prior;
  const { study, name, sets, withTest, base, dir } = cell;
  mkdirSync(dir, { recursive: true });
  const config: TrainConfig = loadConfig(join(repo, base.file), [...base.pinned, ...sets, ...extra]);
  process.stderr.write(`experiments/nn: ${name} (${sets.join(' ')})\n`);
  const setup = await buildNNSetup(config);
  // Anything already in the run's directory is an interrupted run to resume; an empty one starts fresh.
  const r = await runTraining(nnTask(setup), config, dir, 'nn', { resume: readdirSync(dir).length > 0 });
  // keep = last: final/ is scored and is MRT's --init; its "best" epoch is the last one, its dev scores on training data.
  if (base.keep === 'last') await writeFinalModel(dir, setup, r.epochs);
  const kept = base.keep === 'last' ? r.history[r.history.length - 1] : keptScores(dir);
  const seconds = base.keep === 'last' ? r.history.reduce((a, h) => a + h.seconds + h.evalSeconds, 0) : r.secondsToBest;
  const result: RunResult = {
    name, study, settings: settingsOf([...sets, ...extra]),
    budget: cellBudget(join(dir, 'train.log.jsonl'), { epochs: config.epochs, patience: config.patience }),
    bestEpoch: kept.epoch, epochs: r.epochs, secondsToBest: Math.round(seconds),
    devRelF1: kept.dev.relF1, devEntF1: kept.dev.entF1,
  };
  if (withTest && config.data.test) {
    const t = await evaluateModel(keptModelDir(dir, base.keep), config.data.test, readingOptions(config, 'test'));
    result.test = { relF1: t.relations.strict.micro.f1, entF1: t.entities.micro.f1, relBoundariesF1: t.relations.boundaries.micro.f1 };
  }
  writeFileAtomic(join(dir, 'result.json'), JSON.stringify(result, null, 1) + '\n');
  return result;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pm = (xs: number[]) => `${(100 * mean(xs)).toFixed(1)} ± ${(100 * std(xs)).toFixed(1)}`;

function devTable(out: string[], title: string, runs: RunResult[]): void {
  if (!runs.length) return;
  out.push(`## ${title}`, '', '| run | best dev rel F1 | dev ent F1 | best epoch / epochs run | seconds to best |', '|---|---|---|---|---|');
  for (const r of runs)
    out.push(`| ${r.name} | ${(100 * r.devRelF1).toFixed(1)} | ${(100 * r.devEntF1).toFixed(1)} | ${r.bestEpoch} / ${r.epochs} | ${r.secondsToBest} |`);
  out.push('');
}

function testTable(out: string[], title: string, seeds: RunResult[]): void {
  const tested = seeds.filter((r) => r.test);
  if (!tested.length) return;
  out.push(`## ${title} (${tested.length} seeds, mean ± std)`, '', '| strict micro rel F1 | entity F1 | boundaries rel F1 | dev rel F1 | seconds to best dev epoch |', '|---|---|---|---|---|');
  out.push(`| ${pm(tested.map((r) => r.test!.relF1))} | ${pm(tested.map((r) => r.test!.entF1))} | ${pm(tested.map((r) => r.test!.relBoundariesF1))} | ${pm(tested.map((r) => r.devRelF1))} | ${mean(tested.map((r) => r.secondsToBest)).toFixed(0)} (max ${Math.max(...tested.map((r) => r.secondsToBest))}) |`);
  out.push('', '| seed | test rel F1 | test ent F1 | best epoch | seconds to best |', '|---|---|---|---|---|');
  for (const r of tested) out.push(`| ${r.settings.seed} | ${(100 * r.test!.relF1).toFixed(1)} | ${(100 * r.test!.entF1).toFixed(1)} | ${r.bestEpoch} | ${r.secondsToBest} |`);
  out.push('');
}

/** The results tables, in reading order: study → dev-only or scored on test, and its title. */
const TABLES: [string, 'dev' | 'test', string][] = [
  ['tagger', 'dev', 'Tagger: Viterbi decoding, casing, word dropout, width (seed 1, dev only, up to 100 epochs)'],
  ['words', 'dev', 'Word embeddings: fine-tuned vs frozen (seed 1, dev only)'],
  ['screen', 'dev', 'Screening: learning rate and dropout (seed 1, dev only; baseline = words-tuned)'],
  ['optim', 'dev', 'Optimiser and batch size (seed 1, dev only)'],
  ['seeds-config-ema', 'test', 'Test with configs/conll04.json and a weight average (ema 0.99), model chosen on dev relation F1'],
  ['seeds-config-dropout0.4', 'test', 'Test with configs/conll04.json and dropout 0.4, model chosen on dev relation F1'],
  ['seeds-config-layers2', 'test', 'Test with configs/conll04.json and two BiLSTM layers, model chosen on dev relation F1'],
  ['seeds-config-b16', 'test', 'Test with configs/conll04.json and batches of 16, model chosen on dev relation F1'],
  ['seeds-config-cw234', 'test', 'Test with configs/conll04.json and char-CNN widths 2, 3, 4, model chosen on dev relation F1'],
  ['seeds-config-crf', 'test', 'Test with configs/conll04.json and a CRF output layer, model chosen on dev relation F1'],
  ['seeds-config-crf-d04', 'test', 'Test with configs/conll04.json, a CRF output layer and dropout 0.4, model chosen on dev relation F1'],
  ['seeds-config-crf-d04-locked', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) and variational dropout, model chosen on dev relation F1'],
  ['seeds-config-crf-d04-lm', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) and the language-model objective, model chosen on dev relation F1'],
  ['seeds-config-crf-d04-static', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) and a frozen second word channel, model chosen on dev relation F1'],
  ['seeds-config-crf-d04-h256', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) and a BiLSTM of 256 per direction, model chosen on dev relation F1'],
  ['seeds-config-crf-d04-timedecay', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) and the rate lr / (1 + 0.05·epoch), model chosen on dev relation F1'],
  ['seeds-config-crf-d04-e20', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) stopped after 20 epochs, model chosen on dev relation F1'],
  ['seeds-config-crf-d04-ema', 'test', 'Test with configs/conll04.json (CRF, dropout 0.4) and a weight average (ema 0.99), model chosen on dev relation F1'],
  ['seeds-heldout', 'test', 'Test with configs/conll04.json as it is, rerun with the code of 2026-12-04, model chosen on dev relation F1: the held-out MRT study\'s NN models'],
  ['seeds-heldout-v200', 'test', 'The same, dev scored every 200 training sentences (validateEvery=200, the authors\' protocol), model chosen on dev relation F1'],
  ['seeds-traindev', 'test', "The bundled model's recipe: trained on train + dev for 90 epochs, the last kept (dev rel F1 is on training data here)"],
  ['scierc-paper', 'test', "SciERC with the paper's tagger, model chosen on dev relation F1"],
  ['scierc-crf', 'test', 'SciERC: configs/scierc.json, the tagger of configs/conll04.json (CRF, Viterbi, casing, BiLSTM 128, dropout 0.4), model chosen on dev relation F1'],
  ['scierc-crf-e100', 'test', 'SciERC: configs/scierc.json with 100 epochs, model chosen on dev relation F1'],
  ['seeds-config-entw2', 'test', 'Test with configs/conll04.json and L̃ = 2·L_ent + L_rel, model chosen on dev relation F1'],
  ['seeds-config-lrdecay', 'test', 'Test with configs/conll04.json and the rate halved on a 5-epoch dev plateau, model chosen on dev relation F1'],
  ['seeds-config-select', 'test', 'Test with configs/conll04.json, model chosen on the mean of dev entity and relation F1'],
  ['seeds-config', 'test', 'Test with configs/conll04.json (the chosen tagger levers), model chosen on dev relation F1'],
  ['seeds-config-c50', 'test', 'Test with configs/conll04.json and 50 char filters per width, model chosen on dev'],
  ['seeds', 'test', "Test with the paper's tagger (argmax decoding), model chosen on dev"],
  ['seeds-dropout0.3', 'test', 'Test with dropout 0.3, model chosen on dev'],
];

function markdown(of: (study: string) => RunResult[]): string {
  const out = ['# NN system on CoNLL04', ''];
  for (const [study, kind, title] of TABLES) (kind === 'dev' ? devTable : testTable)(out, title, of(study));
  return out.join('\n') + '\n';
}

/**
 * The runs `only` names, in the study's order: for each comma-separated part the run of exactly that
 * name if the study has one, else every run whose name contains it (all of them without `only`).
 */
function selectedRuns(runs: Run[], only: string): Run[] {
  if (only === '') return runs;
  const parts = only.split(',').map((p) => p.trim());
  const picked = new Set(parts.flatMap((part) => {
    const exact = runs.filter(([n]) => n === part);
    return (exact.length ? exact : runs.filter(([n]) => n.includes(part))).map(([n]) => n);
  }));
  return runs.filter(([n]) => picked.has(n));
}

async function main(): Promise<void> {
  const { values, sets: extra } = scriptArgs(USAGE, {
    study: { type: 'string', default: 'all' },
    only: { type: 'string', default: '' },
    out: { type: 'string' },
    set: { type: 'string', multiple: true },
  });
  const { study, only } = values;
  // Where runs/ and the results go: beside this file unless --out names another directory.
  const outDir = values.out === undefined ? here : resolve(values.out);
  if (values.out === '') throw new UsageError('--out: expected a directory');
  const runsDir = join(outDir, 'runs');
  const names = STUDIES.map(([n]) => n);
  if (study !== 'all' && !names.includes(study)) throw new UsageError(`unknown study ${JSON.stringify(study)} (known: ${[...names, 'all'].join(', ')})`);
  const chosen = STUDIES.filter(([name]) => study === 'all' || study === name);
  const cells: Cell[] = chosen.flatMap(([name, runs, withTest, base]) =>
    selectedRuns(runs, only).map(([runName, sets]): Cell => ({ study: name, name: runName, sets, withTest, base: base ?? CONLL04, dir: join(runsDir, runName) })),
  );
  for (const part of only === '' ? [] : only.split(','))
    if (!chosen.some(([, runs]) => selectedRuns(runs, part).length > 0))
      throw new UsageError(`--only ${part.trim()}: no run of ${study === 'all' ? 'any study' : `study ${study}`} is named so`);
  // Before anything trains: a finished run asked with other settings stops the command here.
  for (const cell of cells) finishedResult(cell, extra);
  // The tables cover every finished run in runs/, whichever study this invocation ran, and keep the
  // committed rows of runs whose directories are gone (runs/ is not committed: a fresh checkout has none).
  const save = () => {
    const all = STUDIES.flatMap(([, runs]) => runs).map(([n]) => join(runsDir, n, 'result.json')).filter(existsSync);
    const onDisk = all.map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunResult);
    const resultsFile = join(outDir, 'results.json');
    const committed = existsSync(resultsFile) ? Object.values(JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, RunResult[]>).flat() : [];
    const results = [...new Map([...committed, ...onDisk].map((r) => [`${r.study}/${r.name}`, r])).values()];
    const of = (st: string) => results.filter((r) => r.study === st);
    writeFileAtomic(resultsFile, JSON.stringify(Object.fromEntries(STUDIES.map(([st]) => [st, of(st)])), null, 1) + '\n');
    writeFileAtomic(join(outDir, 'results.md'), markdown(of));
  };
  for (const cell of cells) {
    await run(cell, extra);
    save();
  }
}

runScript('experiments/nn', USAGE, main);
