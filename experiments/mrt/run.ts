/**
 * MRT studies on CoNLL04, each run fine-tuning the 3 NN seeds of experiments/nn (runs/seed-N/best):
 *
 *   npx tsx experiments/mrt/run.ts --study table2|fig3|fig4|all [--seeds 1,2,3] [--only NAME[,NAME…]] [--set key=value …] [--label L] [--nn NAME] [--config FILE] [--keep last] [--from best|final] [--report]
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
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { lineChartSvg } from '../../src/train/plot.js';
import { loadConfig } from '../../src/train/config.js';
import { readingOptions } from '../../src/train/data.js';
import { evaluateModel } from '../../src/train/evaluate.js';
import { runTraining } from '../../src/train/loop.js';
import { mrtTask } from '../../src/train/mrt/task.js';
import { buildSetupFrom, nnTask } from '../../src/train/nn.js';
import { keptModelDir, keptScores, writeFinalModel, type Keep } from '../kept-model.js';
import { BASES_FILE, DEFAULT_CONFIG, defaultStart, tableBases, toStored, type Base, type Start } from './bases.js';
import { gainForestSvg, type GainRow } from './gain-plot.js';
import { markdown, pairedGains, tInterval95, type RunResult } from './report.js';
import { integerListArg, scriptArgs } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const runsDir = join(here, 'runs');
const nnRuns = join(repo, 'experiments', 'nn', 'runs');
const resultsFile = join(here, 'results.json');
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
const nnModel = (nnName: string, seed: number, from: Start) => join(nnRuns, `${nnName}-${seed}`, from);

/** Which NN model a row is about: the SHA-256 of its directory's checksum file (one line per model file). */
const modelChecksum = (dir: string) => createHash('sha256').update(readFileSync(join(dir, 'checksum'))).digest('hex');

async function run(study: string, [name, sets]: Variant, seed: number, extra: string[], base: Base): Promise<RunResult> {
  const dir = join(runsDir, study, `${name}-s${seed}`);
  const done = join(dir, 'result.json');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as RunResult;
  const nnDir = nnModel(base.nn, seed, base.from);
  if (!existsSync(nnDir)) throw new Error(`${nnDir} is missing: run \`npx tsx experiments/nn/run.ts\` for it first`);
  // The checkpoint records `init`: its real path lets a run resume from another checkout whose runs/
  // links to the same directory (experiments run from a git worktree).
  const init = realpathSync(nnDir);
  mkdirSync(dir, { recursive: true });
  const config = loadConfig(join(repo, base.config), [`seed=${seed}`, `init=${JSON.stringify(init)}`, ...(base.keep === 'last' ? [] : BUDGET), ...sets, ...extra]);
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
  };
  writeFileAtomic(done, JSON.stringify(result, null, 1) + '\n');
  return result;
}

/** Test scores of NN checkpoints, by model directory and test file: save() after each run reports them again. */
const baselineScores = new Map<string, Promise<Awaited<ReturnType<typeof evaluateModel>>>>();

/** The NN checkpoints themselves, scored with the current code (the "NN" row of `study`); `init`: the model's checksum. */
async function baseline(seed: number, { study, nn: nnName, config: configFile, from }: Base, init: string): Promise<RunResult> {
  const nn = JSON.parse(readFileSync(join(nnRuns, `${nnName}-${seed}`, 'result.json'), 'utf8')) as { devRelF1: number; devEntF1: number };
  const config = loadConfig(join(repo, configFile));
  const dir = nnModel(nnName, seed, from);
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

function finished(): RunResult[] {
  if (!existsSync(runsDir)) return [];
  const studies = readdirSync(runsDir, { withFileTypes: true }).filter((d) => d.isDirectory());
  return studies.flatMap(({ name: study }) =>
    readdirSync(join(runsDir, study))
      .map((d) => join(runsDir, study, d, 'result.json'))
      .filter(existsSync)
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunResult),
  );
}

/** The committed rows of results.json, for runs (and NN checkpoints) whose directories are gone. */
function committedResults(): RunResult[] {
  return existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as RunResult[]) : [];
}

/**
 * Rewrites the results from the runs on disk and the committed rows. NN rows are scored afresh for the
 * studies in `studies` (all of them without it: `--report`); the others keep their committed rows. A
 * committed NN row stays, too, where the NN model on disk may not be the one its study's runs of that
 * seed fine-tuned: none of them is on disk, or one records (`init`) another model. The paired gains must
 * stay against the model the runs started from (the held-out seeds 1–3 were retrained on 2026-12-06).
 */
async function save(seeds: number[], studies?: ReadonlySet<string>): Promise<void> {
  const nn: RunResult[] = [];
  const bases = tableBases();
  const committed = committedResults();
  const onDisk = finished();
  const key = (r: RunResult) => `${r.study}/${r.name}/${r.seed}`;
  const committedNN = new Set(committed.filter((r) => r.name === 'nn').map(key));
  for (const base of bases.filter((b) => !studies || studies.has(b.study)))
    for (const s of seeds) {
      if (!existsSync(join(nnRuns, `${base.nn}-${s}`, 'result.json'))) continue;
      const runs = onDisk.filter((r) => r.study === base.study && r.seed === s);
      const now = modelChecksum(nnModel(base.nn, s, base.from));
      const stale = committedNN.has(`${base.study}/nn/${s}`) && (runs.length === 0 || runs.some((r) => r.init !== undefined && r.init !== now));
      if (!stale) nn.push(await baseline(s, base, now));
    }
  const results = [...new Map([...committed, ...nn, ...onDisk].map((r) => [key(r), r])).values()];
  writeFileAtomic(resultsFile, JSON.stringify(results, null, 1) + '\n');
  writeFileAtomic(BASES_FILE, JSON.stringify(bases.slice(1).map(toStored), null, 1) + '\n');
  writeFileAtomic(join(here, 'results.md'), markdown(results, { table2: TABLE2.map(([n]) => n), tables: bases.map((b): [string, string, Start, Keep?] => [b.study, b.nn, b.from, b.keep]), alphas: ALPHAS, mus: MUS, ks: KS }));
  writeFileAtomic(join(here, 'gain-forest.svg'), gainForest(results, bases));
  const series = (names: string[], study: string) =>
    (['entF1', 'relF1'] as const).map((k) => ({
      label: k === 'entF1' ? 'dev entity F1' : 'dev relation F1',
      points: names.map((n) => {
        const rs = results.filter((r) => r.study === study && r.name === n);
        return rs.length ? (100 * rs.reduce((a, r) => a + r.dev[k], 0)) / rs.length : NaN;
      }),
    }));
  writeFileAtomic(join(here, 'fig4-K.svg'), lineChartSvg('Figure 4: Γ + Δ_E+R, dev F1 over K (mean of seeds)', KS.map(String), series(FIG4.map(([n]) => n), 'fig4'), 'K (samples besides the gold output)'));
  for (const mu of MUS)
    writeFileAtomic(
      join(here, `fig3-alpha-mu${mu}.svg`),
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
  const { values, sets: extra } = scriptArgs(
    'npx tsx experiments/mrt/run.ts --study table2|fig3|fig4|all [--seeds 1,2,3] [--only NAME[,NAME…]] [--set key=value …] [--label L] [--nn NAME] [--config FILE] [--keep last] [--from best|final] [--report]',
    {
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
    },
  );
  const { study, label, nn: nnName, config: configFile, keep: keepArg } = values;
  const seeds = integerListArg(values.seeds, '--seeds', 0);
  const only = values.only?.split(',') ?? [''];
  const reportOnly = values.report === true;
  if (keepArg !== undefined && keepArg !== 'last') throw new Error(`--keep takes only "last" (got ${keepArg})`);
  const keep = keepArg as Keep | undefined;
  const fromArg = values.from ?? defaultStart(keep);
  if (fromArg !== 'best' && fromArg !== 'final') throw new Error(`--from takes "best" or "final" (got ${fromArg})`);
  const from: Start = fromArg;
  if ((nnName !== 'seed' || configFile !== DEFAULT_CONFIG || keep || from !== 'best') && !label) throw new Error('--nn, --config, --keep and --from need a --label: their runs must not mix with the default tables');
  const studies = study === 'all' ? Object.keys(STUDIES) : [study];
  const ran = new Set<string>();
  for (const st of studies) {
    const variants = STUDIES[st];
    if (!variants) throw new Error(`unknown study ${st} (table2, fig3, fig4, all)`);
    // Seed-major within a variant: a variant's 3 seeds finish together, so rows complete one by one.
    for (const v of reportOnly ? [] : selected(variants, only, st))
      for (const seed of seeds) {
        const name = label ? `${st}-${label}` : st;
        const base: Base = { study: name, nn: nnName, config: configFile, ...(keep && { keep }), from };
        if (label) {
          mkdirSync(join(runsDir, name), { recursive: true });
          const { study: _, ...nnJson } = toStored(base);
          writeFileAtomic(join(runsDir, name, 'nn.json'), JSON.stringify(nnJson) + '\n');
        }
        await run(name, v, seed, extra, base);
        ran.add(name);
        await save(seeds, ran);
      }
  }
  await save(seeds, reportOnly ? undefined : ran);
}

/**
 * The variants `--only` names, in its order: for each part the variant of exactly that name if there is
 * one ("gamma-delta-ER" without its "-ent-only" twin), else every variant whose name contains it.
 */
function selected(variants: Variant[], only: string[], study: string): Variant[] {
  return only.flatMap((part) => {
    const exact = variants.filter(([n]) => n === part);
    const found = exact.length ? exact : variants.filter(([n]) => n.includes(part));
    if (!found.length) throw new Error(`--only ${part}: no variant of ${study} is named so (${variants.map(([n]) => n).join(', ')})`);
    return found;
  });
}

main().catch((e) => {
  process.stderr.write(`experiments/mrt: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
