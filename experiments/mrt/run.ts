/**
 * MRT studies on CoNLL04, each run fine-tuning the 3 NN seeds of experiments/nn (runs/seed-N/best):
 *
 *   npx tsx experiments/mrt/run.ts --study table2|fig3|fig4|all [--seeds 1,2,3] [--only NAME[,NAME…]] [--set key=value …] [--label L] [--nn NAME] [--config FILE] [--keep last] [--from best|final] [--out DIR] [--nn-dir DIR] [--report]
 *
 * `--only` takes variant names or parts of names, comma-separated; one that matches no variant is an error.
 * `--report` trains nothing: it rewrites results.json, results.md and the SVGs (Figures 3 and 4, and
 * gain-forest.svg: every study's Γ + Δ_E+R gain with its 95 % t-interval) from the runs on disk.
 *
 * `--label L` runs the study into runs/<study>-L/ (a variant of every run, e.g. another learning rate),
 * reported as its own table and never mixed into the unlabelled ones. `--nn NAME` starts from other NN
 * runs of experiments/nn (runs/NAME-N/best instead of runs/seed-N/best; needs a label); the labelled
 * table's NN row and paired gains then come from those. `--config FILE` (with a label) fine-tunes on
 * another corpus: its data and MRT settings instead of configs/conll04-mrt.json's (e.g.
 * `--config configs/scierc-mrt.json --nn scierc-crf-seed --label scierc`). `--keep last` (with a label) is for
 * a config whose training data holds dev (configs/default-model-mrt.json): nothing is selected on dev; the
 * NN runs' final/ (experiments/nn keep = last) is the start and the NN row, and each run's last epoch,
 * written as final/, is scored once on test; the budget is the config's own (no BUDGET below: a fixed
 * number of epochs, patience 0), since early stopping would select on dev too. `--from best` (with
 * `--keep last`) starts instead from NN runs chosen on dev that never trained on it (seeds-heldout): the
 * fine-tuning data then holds sentences those models have not fitted (`--label heldout`).
 *
 * - table2: the paper's Table 2 — Δ_E, Δ_R, Δ_E+R, Γ, Γ + Δ_E+R, each with relation sampling and with
 *   "only sampling entities" — against the NN model it starts from AND against that model trained on
 *   with L̃ alone for the same epochs ("NN continued"), which separates MRT from extra training.
 *   Settings of footnote 12: with Γ α = 1, μ = 1, K = 2; without Γ α = 1e-4, μ = 1, K = 3.
 * - fig3: Γ + Δ_E+R over a grid of α × μ (K = 2): dev F1 of entities and relations (Figure 3).
 * - fig4: Γ + Δ_E+R over K ∈ {1, 2, 3, 5} (α = 1, μ = 1): dev F1 (Figure 4).
 * Every setting is chosen on dev: each run keeps its best dev epoch (best/), scored once on test.
 * Budget per run: configs/conll04-mrt.json with the EPOCHS/PATIENCE below (override with --set).
 * Runs live in experiments/mrt/runs/<study>/<name>-s<seed>/; a finished run (result.json) is skipped,
 * an interrupted one resumed. Writes results.json, results.md and the figures' SVGs beside this file.
 *
 * A finished run counts only with the settings it ran with: its variant's, the `--set` items but
 * `threads`, the budget (`epochs`, `patience`), all compared as the config resolves them (`--set mrt.K=2`
 * finds a row whose own settings hold K=2), and the NN model it started from (`init`).
 * Asked with others, the command stops before training anything, naming the run and what differs. An
 * interrupted run may be resumed with another budget; its result.json records the budget it ended with.
 * Each run is paired (the Δ vs NN columns) with the NN row of the very model it started from: new rows
 * record it (`init`), and a row without one (before 2026-12-06) with its study's NN row committed with
 * it, never with an NN model scored afresh from another run.
 *
 * The NN runs must exist first (runs/NAME-N of experiments/nn/run.ts: `--study seeds` makes the default
 * runs/seed-N); a missing one stops the command with the experiments/nn/run.ts command that makes it,
 * with this command's budget, data and threads (`--set epochs=… patience=… data.*=… threads=…`) and
 * into the directory it reads them from (`--nn-dir`). A trial without `--nn-dir` (a budget or data of its
 * own) is told to make them under `--out DIR`/nn and to add `--nn-dir` to it: experiments/nn/runs and its
 * tables hold the real runs.
 *
 * `--out DIR` writes everything under DIR instead of beside this file: DIR/runs/, DIR/results.json,
 * DIR/results.md, DIR/bases.json and the SVGs, which then hold only the runs made there (a trial at a
 * tiny budget leaves the committed tables alone). `--nn-dir DIR` starts from the NN runs in DIR/runs
 * instead of experiments/nn/runs: the `--out` of an experiments/nn/run.ts trial. A trial of the whole chain:
 *
 *   npx tsx experiments/nn/run.ts --study seeds --only seed-1 --out /tmp/trial/nn --set threads=1 epochs=1
 *   npx tsx experiments/mrt/run.ts --study table2 --only gamma-delta-ER --seeds 1 --nn-dir /tmp/trial/nn --out /tmp/trial/mrt --set threads=1 epochs=1
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { lineChartSvg } from '../../src/train/plot.js';
import { loadConfig } from '../../src/train/config.js';
import { readingOptions } from '../../src/train/data.js';
import { evaluateModel } from '../../src/train/evaluate.js';
import { runTraining } from '../../src/train/loop.js';
import { mrtTask } from '../../src/train/mrt/task.js';
import { buildSetupFrom, nnTask } from '../../src/train/nn.js';
import { keptModelDir, keptScores, writeFinalModel, type Keep } from '../kept-model.js';
import { askedBudget, cellBudget, changedSettings, configResolver, refuseChanged, runScript, settingsOf, shownPath, UsageError } from '../nn/cells.js';
import { STUDIES as NN_STUDIES, studyOfRun } from '../nn/studies.js';
import { DEFAULT_CONFIG, defaultStart, tableBases, toStored, type Base, type Start } from './bases.js';
import { gainForestSvg, type GainRow } from './gain-plot.js';
import { markdown, mergeResults, tInterval95, pairedGains, type RunResult } from './report.js';
import { integerListArg, scriptArgs } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const USAGE =
  'npx tsx experiments/mrt/run.ts --study table2|fig3|fig4|all [--seeds 1,2,3] [--only NAME[,NAME…]] [--set key=value …] [--label L] [--nn NAME] [--config FILE] [--keep last] [--from best|final] [--out DIR] [--nn-dir DIR] [--report]';

/** Where a study's runs and results go, and where the NN runs it starts from are. */
interface Paths {
  /** This directory, or --out: runs/, results.json, results.md, bases.json and the SVGs. */
  out: string;
  runs: string;
  results: string;
  /** The NN runs (experiments/nn/runs, or --nn-dir's runs/). */
  nnRuns: string;
  /** --nn-dir as given, for the command a missing NN run's message gives. */
  nnDirArg?: string;
  /** --out as given, likewise. */
  outArg?: string;
}
const BUDGET = ['epochs=8', 'patience=4'];

type Variant = [name: string, sets: string[]];
const WITH_GAMMA = ['gamma=true', 'alpha=1', 'mu=1', 'K=2'];
const WITHOUT_GAMMA = ['gamma=false', 'alpha=0.0001', 'mu=1', 'K=3'];
const TABLE2: Variant[] = [['nn-continued', []]];
for (const [tag, rel] of [['', 'sampleRelations=true'], ['-ent-only', 'sampleRelations=false']] as const)
  TABLE2.push(
    [`delta-E${tag}`, ['delta=E', ...WITHOUT_GAMMA, rel]],
    [`delta-R${tag}`, ['delta=R', ...WITHOUT_GAMMA, rel]],
    [`delta-ER${tag}`, ['delta=E+R', ...WITHOUT_GAMMA, rel]],
    [`gamma${tag}`, ['delta=none', ...WITH_GAMMA, rel]],
    [`gamma-delta-ER${tag}`, ['delta=E+R', ...WITH_GAMMA, rel]],
  );
// Main row first: with a partial budget the headline comparison is done soonest.
TABLE2.sort((a, b) => order(a[0]) - order(b[0]));
function order(name: string): number {
  return name === 'gamma-delta-ER' ? 0 : name === 'nn-continued' ? 1 : 2;
}
const ALPHAS = [0.0001, 0.01, 1, 10];
const MUS = [0, 0.5, 1];
// Run order: the middle of the α range first (α = 1 makes Q nearly one-hot on the gold output, α = 1e-4
// nearly uniform with a gradient ∝ α), so a partial budget covers the informative cells.
const FIG3: Variant[] = [0.01, 1, 10, 0.0001].flatMap((a) => [1, 0.5, 0].map((m): Variant => [`alpha${a}-mu${m}`, ['delta=E+R', 'gamma=true', 'K=2', `alpha=${a}`, `mu=${m}`]]));
const KS = [1, 2, 3, 5];
const FIG4: Variant[] = KS.map((k) => [`K${k}`, ['delta=E+R', 'gamma=true', 'alpha=1', 'mu=1', `K=${k}`]]);
const STUDIES: Record<string, Variant[]> = { table2: TABLE2, fig3: FIG3, fig4: FIG4 };

/** The NN model a study starts from and scores its NN row with: best/ (chosen on dev), or final/ (the last epoch's). */
const nnModel = (paths: Paths, nnName: string, seed: number, from: Start) => join(paths.nnRuns, `${nnName}-${seed}`, from);

/** Which NN model a row is about: the SHA-256 of its directory's checksum file (one line per model file). */
const modelChecksum = (dir: string) => createHash('sha256').update(readFileSync(join(dir, 'checksum'))).digest('hex');

/** One run: a variant of a study fine-tuning the NN model of one seed, in runs/<study>/<name>-s<seed>. */
interface Cell {
  study: string;
  variant: Variant;
  seed: number;
  base: Base;
  dir: string;
}

/** The budget items a cell's settings follow: BUDGET, unless the config's own (keep = last). */
const budgetSets = (base: Base) => (base.keep === 'last' ? [] : BUDGET);

/**
 * The result of a finished cell, or undefined. One that ran with other settings than asked now, or
 * from another NN model than the one its start now holds, is refused: it is not the run asked for.
 * Settings compare as the config resolves them: `--set mrt.K=2` asked of a row whose own `K=2` is the same.
 */
function finishedResult({ study, variant: [, sets], seed, base, dir }: Cell, extra: string[], paths: Paths, label: string | undefined): RunResult | undefined {
  const done = join(dir, 'result.json');
  if (!existsSync(done)) return undefined;
  const prior = JSON.parse(readFileSync(done, 'utf8')) as RunResult;
  const file = join(repo, base.config);
  const changes = changedSettings(
    { settings: settingsOf(prior.settings ?? []), budget: prior.budget },
    settingsOf(sets),
    settingsOf([...sets, ...extra]),
    askedBudget(file, [...budgetSets(base), ...sets, ...extra]),
    askedBudget(file, [...budgetSets(base), ...sets]),
    configResolver(file, [`seed=${seed}`, ...budgetSets(base)]),
  );
  const nnDir = nnModel(paths, base.nn, seed, base.from);
  if (prior.init !== undefined && existsSync(join(nnDir, 'checksum'))) {
    const now = modelChecksum(nnDir);
    if (now !== prior.init) changes.push([`the NN model started from (${shownPath(nnDir)}, checksum digest)`, prior.init.slice(0, 12), now.slice(0, 12)]);
  }
  refuseChanged(dir, changes, label === undefined ? `--label L (study ${study}-L) or --out DIR` : 'another --label or --out DIR');
  return prior;
}

async function run(cell: Cell, extra: string[], paths: Paths, label: string | undefined): Promise<RunResult> {
  const prior = finishedResult(cell, extra, paths, label);
  if (prior) return prior;
  const { study, variant: [name, sets], seed, base, dir } = cell;
  const nnDir = nnModel(paths, base.nn, seed, base.from);
  if (!existsSync(nnDir)) throw missingNN([nnDir], base, [seed], paths, extra);
  // The checkpoint records `init`: its real path lets a run resume from another checkout whose runs/
  // links to the same directory (experiments run from a git worktree).
  const init = realpathSync(nnDir);
  mkdirSync(dir, { recursive: true });
  const config = loadConfig(join(repo, base.config), [`seed=${seed}`, `init=${JSON.stringify(init)}`, ...budgetSets(base), ...sets, ...extra]);
  process.stderr.write(`experiments/mrt: ${study} ${name} seed ${seed} (${sets.join(' ')})\n`);
  // MRT continues the --init model with a fresh optimiser (paper §3.4); "NN continued" trains the same
  // checkpoint for the same budget with L̃ alone.
  const s = await buildSetupFrom(config, init);
  // Anything already in the run's directory is an interrupted run to resume; an empty one starts fresh.
  const r = await runTraining(name === 'nn-continued' ? nnTask(s) : mrtTask(s), s.config, dir, name === 'nn-continued' ? 'nn' : 'mrt', { resume: readdirSync(dir).length > 0 });
  // keep = last (dev inside the training data): nothing is selected; the model the last epoch left is
  // written as final/ and scored.
  if (base.keep === 'last') await writeFinalModel(dir, s, r.epochs);
  const best = base.keep === 'last' ? r.history[r.history.length - 1] : keptScores(dir);
  const t = await evaluateModel(keptModelDir(dir, base.keep), config.data.test!, readingOptions(config, 'test'));
  const epochSeconds = r.history.map((h) => h.seconds);
  const result: RunResult = {
    study, name, seed, settings: [...sets, ...extra],
    bestEpoch: best.epoch, epochs: r.epochs, secondsPerEpoch: epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length,
    dev: best.dev,
    test: { relF1: t.relations.strict.micro.f1, entF1: t.entities.micro.f1, relBoundariesF1: t.relations.boundaries.micro.f1 },
    init: modelChecksum(nnDir),
    budget: cellBudget(join(dir, 'train.log.jsonl'), { epochs: config.epochs, patience: config.patience }),
  };
  writeFileAtomic(join(dir, 'result.json'), JSON.stringify(result, null, 1) + '\n');
  return result;
}

/**
 * The `--set` items of this command that its NN runs take too, for the command that makes them: the
 * budget (`epochs`, `patience`), the data (`data.*`) and the thread count (1 unless given). The MRT
 * settings are this study's alone (a run of the local loss refuses them).
 */
function nnTrialSets(extra: readonly string[]): string[] {
  const keyOf = (item: string) => item.slice(0, Math.max(0, item.indexOf('='))).trim();
  const forwarded = extra.filter((item) => ['epochs', 'patience', 'threads', 'data'].includes(keyOf(item)) || keyOf(item).startsWith('data.'));
  return forwarded.some((item) => keyOf(item) === 'threads') ? forwarded : ['threads=1', ...forwarded];
}

/** `word` as a shell reads it back: as it is when it holds nothing the shell would take apart, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The error for NN models a study needs and `paths` lacks (`dirs`, of `seeds`): one line naming the
 * first and the experiments/nn/run.ts command that makes just those runs, with this command's budget,
 * data and threads (`extra`, nnTrialSets) and into the directory this study reads them from (`--nn-dir`),
 * so that copying it makes the runs this command then finds. A trial (a budget or data of its own)
 * without `--nn-dir` is given one: the NN runs of experiments/nn/runs, and its committed tables, are the
 * real ones, so its NN runs go under `--out`'s nn/ (or a temporary directory), named for `--nn-dir`.
 */
function missingNN(dirs: string[], base: Base, seeds: number[], paths: Paths, extra: readonly string[]): UserError {
  const more = dirs.length > 1 ? ` (and ${dirs.length - 1} more: ${dirs.slice(1).map(shownPath).join(', ')})` : '';
  const what = `${shownPath(dirs[0])} is missing${more}`;
  const names = [...new Set(seeds)].map((s) => `${base.nn}-${s}`);
  const numbered = new RegExp(`^${base.nn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
  const study = studyOfRun(names[0]) ?? NN_STUDIES.find(([, runs]) => runs.some(([n]) => numbered.test(n)));
  if (!study) return new UserError(`${what}, and no study of experiments/nn/run.ts makes runs named ${base.nn}-N: check --nn, or train them into ${shownPath(paths.nnRuns)}/${base.nn}-N yourself`);
  const [nnStudy, runs, , nnBase] = study;
  const unmade = names.filter((n) => !runs.some(([r]) => r === n));
  if (unmade.length > 0) return new UserError(`${what}, and experiments/nn study ${nnStudy} makes ${runs.map(([n]) => n).join(', ')} only, not ${unmade.join(', ')}: check --seeds`);
  if (base.from === 'final' && nnBase?.keep !== 'last')
    return new UserError(`${what}: the runs of experiments/nn study ${nnStudy} keep best/, not final/ (check --from)`);
  const all = runs.every(([n]) => names.includes(n));
  const sets = nnTrialSets(extra);
  const trial = sets.some((item) => !/^\s*threads\s*=/.test(item));
  const nnDir = paths.nnDirArg ?? (trial ? (paths.outArg !== undefined ? join(paths.outArg, 'nn') : join(tmpdir(), 'entrel-nn-trial')) : undefined);
  const command = `npx tsx experiments/nn/run.ts --study ${nnStudy}${all ? '' : ` --only ${names.join(',')}`}${nnDir === undefined ? '' : ` --out ${shellWord(nnDir)}`} --set ${sets.map(shellWord).join(' ')}`;
  const then = paths.nnDirArg === undefined && nnDir !== undefined ? `, then add \`--nn-dir ${shellWord(nnDir)}\` to this command (a trial's NN runs stay out of experiments/nn/runs and its tables)` : '';
  return new UserError(`${what}: this study starts from the NN runs of experiments/nn; make them first with \`${command}\`${then}`);
}

/** Test scores of NN checkpoints, by model directory and test file: save() after each run reports them again. */
const baselineScores = new Map<string, Promise<Awaited<ReturnType<typeof evaluateModel>>>>();

/**
 * The NN checkpoints themselves, scored with the current code (the "NN" row of `study`); `init`: the
 * model's checksum. The test data is the runs': the config's, with the `data.*` items of `extra`.
 */
async function baseline(seed: number, { study, nn: nnName, config: configFile, from }: Base, init: string, paths: Paths, extra: string[]): Promise<RunResult> {
  const nn = JSON.parse(readFileSync(join(paths.nnRuns, `${nnName}-${seed}`, 'result.json'), 'utf8')) as { devRelF1: number; devEntF1: number };
  const config = loadConfig(join(repo, configFile), extra.filter((item) => item.trim().startsWith('data.')));
  const dir = nnModel(paths, nnName, seed, from);
  const key = `${dir}\n${config.data.test}`;
  if (!baselineScores.has(key)) baselineScores.set(key, evaluateModel(dir, config.data.test!, readingOptions(config, 'test')));
  const t = await baselineScores.get(key)!;
  return {
    study, name: 'nn', seed, settings: [], bestEpoch: 0, epochs: 0, secondsPerEpoch: 0,
    dev: { relF1: nn.devRelF1, entF1: nn.devEntF1 },
    test: { relF1: t.relations.strict.micro.f1, entF1: t.entities.micro.f1, relBoundariesF1: t.relations.boundaries.micro.f1 },
    init,
  };
}

function finished(paths: Paths): RunResult[] {
  if (!existsSync(paths.runs)) return [];
  const studies = readdirSync(paths.runs, { withFileTypes: true }).filter((d) => d.isDirectory());
  return studies.flatMap(({ name: study }) =>
    readdirSync(join(paths.runs, study))
      .map((d) => join(paths.runs, study, d, 'result.json'))
      .filter(existsSync)
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunResult),
  );
}

/** The committed rows of results.json, for runs (and NN checkpoints) whose directories are gone. */
function committedResults(paths: Paths): RunResult[] {
  return existsSync(paths.results) ? (JSON.parse(readFileSync(paths.results, 'utf8')) as RunResult[]) : [];
}

/**
 * Rewrites the results from the runs on disk and the committed rows (mergeResults). The NN model on disk
 * is scored afresh, for the studies in `studies` (all of them without it: `--report`) and `seeds`, only
 * where a run on disk started from it (its `init`): the committed NN rows stay, and the rows committed
 * with them keep them as their pair; a run from another model gets an NN row of its own beside them.
 */
async function save(seeds: number[], paths: Paths, extra: string[], studies?: ReadonlySet<string>): Promise<void> {
  const rescored: RunResult[] = [];
  const bases = tableBases(paths.out);
  const onDisk = finished(paths);
  for (const base of bases.filter((b) => !studies || studies.has(b.study)))
    for (const s of seeds) {
      const dir = nnModel(paths, base.nn, s, base.from);
      if (!existsSync(join(paths.nnRuns, `${base.nn}-${s}`, 'result.json')) || !existsSync(join(dir, 'checksum'))) continue;
      const now = modelChecksum(dir);
      if (onDisk.some((r) => r.study === base.study && r.seed === s && r.init === now)) rescored.push(await baseline(s, base, now, paths, extra));
    }
  const results = mergeResults(committedResults(paths), rescored, onDisk);
  writeFileAtomic(paths.results, JSON.stringify(results, null, 1) + '\n');
  writeFileAtomic(join(paths.out, 'bases.json'), JSON.stringify(bases.slice(1).map(toStored), null, 1) + '\n');
  writeFileAtomic(join(paths.out, 'results.md'), markdown(results, { table2: TABLE2.map(([n]) => n), tables: bases.map((b): [string, string, Start, Keep?] => [b.study, b.nn, b.from, b.keep]), alphas: ALPHAS, mus: MUS, ks: KS }));
  writeFileAtomic(join(paths.out, 'gain-forest.svg'), gainForest(results, bases));
  const series = (names: string[], study: string) =>
    (['entF1', 'relF1'] as const).map((k) => ({
      label: k === 'entF1' ? 'dev entity F1' : 'dev relation F1',
      points: names.map((n) => {
        const rs = results.filter((r) => r.study === study && r.name === n);
        return rs.length ? (100 * rs.reduce((a, r) => a + r.dev[k], 0)) / rs.length : NaN;
      }),
    }));
  writeFileAtomic(join(paths.out, 'fig4-K.svg'), lineChartSvg('Figure 4: Γ + Δ_E+R, dev F1 over K (mean of seeds)', KS.map(String), series(FIG4.map(([n]) => n), 'fig4'), 'K (samples besides the gold output)'));
  for (const mu of MUS)
    writeFileAtomic(
      join(paths.out, `fig3-alpha-mu${mu}.svg`),
      lineChartSvg(`Figure 3: Γ + Δ_E+R, dev F1 over α at μ = ${mu} (K = 2, mean of seeds)`, ALPHAS.map(String), series(ALPHAS.map((a) => `alpha${a}-mu${mu}`), 'fig3'), 'α'),
    );
}

/**
 * The Γ + Δ_E+R row of every CoNLL04 study with ≥ 2 paired seeds: models chosen on dev first, each group
 * by gain. Left out: SciERC, and the studies started from NN models deliberately stopped after 20 epochs
 * (`-from-e20`), whose gain over those models is mostly the training they had not had.
 */
function gainForest(results: RunResult[], bases: Base[]): string {
  const rows: GainRow[] = [];
  for (const base of bases) {
    if (base.study.includes('scierc') || base.study.includes('from-e20')) continue;
    const gains = pairedGains(results, base.study, 'gamma-delta-ER');
    const t = tInterval95(gains);
    if (!t) continue;
    const label = base.study === 'table2' ? 'table2 (paper-size tagger)' : base.study.replace(/^table2-/, '');
    rows.push({ label, seeds: gains.length, mean: 100 * t.mean, lo: 100 * t.lo, hi: 100 * t.hi, chosenOnDev: base.keep !== 'last' });
  }
  rows.sort((a, b) => Number(b.chosenOnDev) - Number(a.chosenOnDev) || b.mean - a.mean);
  return gainForestSvg(rows, 1.5, 'Γ + Δ_E+R over NN on CoNLL04, every study (experiments/mrt/results.md)');
}

async function main(): Promise<void> {
  const { values, sets: extra } = scriptArgs(USAGE, {
    study: { type: 'string', default: 'table2' },
    seeds: { type: 'string', default: '1,2,3' },
    only: { type: 'string' },
    report: { type: 'boolean' },
    set: { type: 'string', multiple: true },
    label: { type: 'string' },
    nn: { type: 'string', default: 'seed' },
    config: { type: 'string', default: DEFAULT_CONFIG },
    keep: { type: 'string' },
    from: { type: 'string' },
    out: { type: 'string' },
    'nn-dir': { type: 'string' },
  });
  const { study, label, nn: nnName, config: configFile, keep: keepArg } = values;
  let seeds: number[];
  try {
    seeds = integerListArg(values.seeds, '--seeds', 0);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const only = values.only?.split(',') ?? [''];
  const reportOnly = values.report === true;
  if (keepArg !== undefined && keepArg !== 'last') throw new UsageError(`--keep takes only "last" (got ${keepArg})`);
  const keep = keepArg as Keep | undefined;
  const fromArg = values.from ?? defaultStart(keep);
  if (fromArg !== 'best' && fromArg !== 'final') throw new UsageError(`--from takes "best" or "final" (got ${fromArg})`);
  const from: Start = fromArg;
  if ((nnName !== 'seed' || configFile !== DEFAULT_CONFIG || keep || from !== 'best') && !label) throw new UsageError('--nn, --config, --keep and --from need a --label: their runs must not mix with the default tables');
  if (values.out === '' || values['nn-dir'] === '') throw new UsageError(`--${values.out === '' ? 'out' : 'nn-dir'}: expected a directory`);
  const out = values.out === undefined ? here : resolve(values.out);
  const paths: Paths = {
    out,
    runs: join(out, 'runs'),
    results: join(out, 'results.json'),
    nnRuns: values['nn-dir'] === undefined ? join(repo, 'experiments', 'nn', 'runs') : join(resolve(values['nn-dir']), 'runs'),
    ...(values['nn-dir'] !== undefined && { nnDirArg: values['nn-dir'] }),
    ...(values.out !== undefined && { outArg: values.out }),
  };
  const studies = study === 'all' ? Object.keys(STUDIES) : [study];
  for (const st of studies) if (!STUDIES[st]) throw new UsageError(`unknown study ${JSON.stringify(st)} (known: ${[...Object.keys(STUDIES), 'all'].join(', ')})`);
  // Seed-major within a variant: a variant's 3 seeds finish together, so rows complete one by one.
  const cells: Cell[] = [];
  for (const st of reportOnly ? [] : studies) {
    const name = label ? `${st}-${label}` : st;
    const base: Base = { study: name, nn: nnName, config: configFile, ...(keep && { keep }), from };
    for (const v of selected(STUDIES[st], only, st)) for (const seed of seeds) cells.push({ study: name, variant: v, seed, base, dir: join(paths.runs, name, `${v[0]}-s${seed}`) });
  }
  // Before anything trains or is written: a finished run asked with other settings, and a missing NN
  // model, stop the command here.
  const todo = cells.filter((c) => !finishedResult(c, extra, paths, label));
  const missing = todo.filter((c) => !existsSync(nnModel(paths, c.base.nn, c.seed, c.base.from)));
  if (missing.length > 0) {
    const seedsMissing = [...new Set(missing.map((c) => c.seed))].sort((a, b) => a - b);
    throw missingNN(seedsMissing.map((s) => nnModel(paths, missing[0].base.nn, s, missing[0].base.from)), missing[0].base, seedsMissing, paths, extra);
  }
  const ran = new Set<string>();
  for (const cell of cells) {
    if (label) {
      mkdirSync(join(paths.runs, cell.study), { recursive: true });
      const { study: _, ...nnJson } = toStored(cell.base);
      writeFileAtomic(join(paths.runs, cell.study, 'nn.json'), JSON.stringify(nnJson) + '\n');
    }
    await run(cell, extra, paths, label);
    ran.add(cell.study);
    await save(seeds, paths, extra, ran);
  }
  await save(seeds, paths, extra, reportOnly ? undefined : ran);
}

/**
 * The variants `--only` names, in its order: for each part the variant of exactly that name if there is
 * one ("gamma-delta-ER" without its "-ent-only" twin), else every variant whose name contains it.
 */
function selected(variants: Variant[], only: string[], study: string): Variant[] {
  return only.flatMap((part) => {
    const exact = variants.filter(([n]) => n === part);
    const found = exact.length ? exact : variants.filter(([n]) => n.includes(part));
    if (!found.length) throw new UsageError(`--only ${part}: no variant of ${study} is named so (${variants.map(([n]) => n).join(', ')})`);
    return found;
  });
}

runScript('experiments/mrt', USAGE, main);
