/** results.md of the MRT studies: Table 2 (test, mean ± std over seeds), Figure 3 and 4 grids (dev). */
import type { Keep } from '../kept-model.js';
import type { Budget } from '../nn/cells.js';

export interface Scores {
  relF1: number;
  entF1: number;
}

export interface RunResult {
  study: string;
  name: string;
  seed: number;
  settings: string[];
  bestEpoch: number;
  epochs: number;
  secondsPerEpoch: number;
  dev: Scores;
  test: Scores & { relBoundariesF1: number };
  /**
   * The SHA-256 of the NN model's checksum file: the model a run started from, or an NN row scored (runs
   * since 2026-12-06). A fine-tuned row is paired only with the NN row of its own `init`; one without it
   * with its study's first NN row of its seed in results.json, the one committed with it (nnRowOf).
   */
  init?: string;
  /** The budget a fine-tuned run ended with (runs since 2026-12; earlier ones: their settings' epochs and patience, else the study's). */
  budget?: Budget;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
/** Student's t at 0.975 for 1–30 degrees of freedom (beyond: the normal's 1.96, which is 0.08 too small at 31 and 0.04 at 60). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
/** The 95 % t-interval of the mean of paired differences: does the seed spread allow a gain of that size? */
export function tInterval95(xs: number[]): { mean: number; lo: number; hi: number } | undefined {
  if (xs.length < 2) return undefined;
  const half = (T975[xs.length - 2] ?? 1.96) * (std(xs) / Math.sqrt(xs.length));
  return { mean: mean(xs), lo: mean(xs) - half, hi: mean(xs) + half };
}
const tInterval = (xs: number[]) => {
  const t = tInterval95(xs);
  const pt = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(2)}`;
  return t ? `${pt(t.lo)} … ${pt(t.hi)}` : '–';
};

/**
 * The NN row a fine-tuned row `r` is paired with: the one of its study and seed about the model it
 * started from (the same `init`). A row without `init` (run before 2026-12-06) belongs to the NN row
 * committed with it: its study's first NN row of that seed in `results` (save() keeps the committed
 * rows first and in order, and never replaces one by a row about another model). None: no pair.
 */
export function nnRowOf(results: readonly RunResult[], r: RunResult): RunResult | undefined {
  const nn = results.filter((b) => b.study === r.study && b.name === 'nn' && b.seed === r.seed);
  return r.init === undefined ? nn[0] : nn.find((b) => b.init === r.init);
}

/** The NN rows of a table: those some fine-tuned row of it is paired with (the NN runs may have more seeds). */
function nnRows(results: RunResult[], study: string): RunResult[] {
  const paired = new Set(results.filter((r) => r.study === study && r.name !== 'nn').map((r) => nnRowOf(results, r)));
  return results.filter((b) => paired.has(b));
}
/** A row's paired gains: each run against the NN row of the very model it started from (nnRowOf), in seed order. */
export function pairedGains(results: RunResult[], study: string, name: string): number[] {
  return results
    .filter((r) => r.study === study && r.name === name)
    .sort((a, b) => a.seed - b.seed)
    .flatMap((r) => {
      const b = nnRowOf(results, r);
      return b ? [r.test.relF1 - b.test.relF1] : [];
    });
}

/**
 * The rows results.json holds after a save: the committed ones first, in their order, then the NN rows
 * scored now (`rescored`) and the runs on disk (`onDisk`). A fine-tuned row replaces the committed row
 * of its study, name and seed. An NN row replaces only the committed one about the same model (`init`),
 * or one without `init` whose scores it repeats exactly (the same model, rescored: it gets the `init`);
 * an NN row about another model is added beside it, so that the rows committed with the first keep
 * their pair (nnRowOf).
 */
export function mergeResults(committed: readonly RunResult[], rescored: readonly RunResult[], onDisk: readonly RunResult[]): RunResult[] {
  const rows = [...committed];
  const sameScores = (a: RunResult, b: RunResult) =>
    a.dev.relF1 === b.dev.relF1 && a.dev.entF1 === b.dev.entF1 && a.test.relF1 === b.test.relF1 && a.test.entF1 === b.test.entF1 && a.test.relBoundariesF1 === b.test.relBoundariesF1;
  for (const r of [...rescored, ...onDisk]) {
    const at =
      r.name !== 'nn'
        ? rows.findIndex((b) => b.study === r.study && b.name === r.name && b.seed === r.seed)
        : rows.findIndex((b) => b.study === r.study && b.name === 'nn' && b.seed === r.seed && (b.init === r.init || (b.init === undefined && sameScores(b, r))));
    if (at >= 0) rows[at] = r;
    else rows.push(r);
  }
  return rows;
}
const pm = (xs: number[]) => (xs.length ? `${(100 * mean(xs)).toFixed(1)} ± ${(100 * std(xs)).toFixed(1)}` : '–');

export function markdown(
  results: RunResult[],
  layout: { table2: string[]; tables: [study: string, nn: string, from: string, keep?: Keep][]; alphas: number[]; mus: number[]; ks: number[] },
): string {
  const pick = (study: string, name: string) => results.filter((r) => r.study === study && r.name === name).sort((a, b) => a.seed - b.seed);
  const out = ['# MRT on CoNLL04'];
  // One Table 2 per NN starting point: `table2` from experiments/nn runs/seed-N, labelled ones from theirs;
  // labelled cells of Figure 3 or 4 get the same test table (their rows: the cells that ran).
  for (const [study, nnName, from, keep] of layout.tables) {
    const nn = nnRows(results, study).sort((a, b) => a.seed - b.seed);
    const kind = study.startsWith('fig3') ? 'Figure 3 cells' : study.startsWith('fig4') ? 'Figure 4 cells' : 'Table 2';
    const names = kind === 'Table 2' ? layout.table2 : [...new Set(results.filter((r) => r.study === study && r.name !== 'nn').map((r) => r.name))].sort();
    const selection = keep === 'last' ? 'last epoch, nothing chosen on dev (dev is training data)' : 'model chosen on dev';
    out.push('', `## ${kind}${study === 'table2' ? '' : ` (${study}, from NN runs ${nnName}-N${from === 'best' ? '' : `/${from}`})`} (test, ${selection}; mean ± std over seeds)`, '');
    out.push('| system | seeds | test rel F1 (strict) | Δ vs NN (paired) | 95 % t-interval of Δ | test ent F1 | test rel F1 (boundaries) | dev rel F1 | s / epoch |', '|---|---|---|---|---|---|---|---|---|');
    for (const name of ['nn', ...names]) {
      const rs = name === 'nn' ? nn : pick(study, name);
      if (!rs.length) {
        if (study === 'table2') out.push(`| ${name} | 0 | – | – | – | – | – | – | – |`);
        continue;
      }
      const gains = pairedGains(results, study, name);
      const gain = name === 'nn' || !gains.length ? '–' : `${mean(gains) >= 0 ? '+' : ''}${(100 * mean(gains)).toFixed(1)} ± ${(100 * std(gains)).toFixed(1)}`;
      const spe = name === 'nn' ? '–' : mean(rs.map((r) => r.secondsPerEpoch)).toFixed(0);
      const interval = name === 'nn' ? '–' : tInterval(gains);
      out.push(`| ${name} | ${rs.map((r) => r.seed).join(',')} | ${pm(rs.map((r) => r.test.relF1))} | ${gain} | ${interval} | ${pm(rs.map((r) => r.test.entF1))} | ${pm(rs.map((r) => r.test.relBoundariesF1))} | ${pm(rs.map((r) => r.dev.relF1))} | ${spe} |`);
    }
    const twice = [...new Set(nn.map((b) => b.seed).filter((s, i, all) => all.indexOf(s) !== i))];
    if (twice.length) out.push('', `Seed${twice.length > 1 ? 's' : ''} ${twice.join(', ')}: the runs started from more than one NN model (the NN row counts each); each run is paired with the one it started from.`);
  }
  const grid = (title: string, rows: [string, string][]) => {
    out.push('', `## ${title} (dev F1, mean over seeds: relation / entity)`, '', '| setting | seeds | dev rel F1 | dev ent F1 |', '|---|---|---|---|');
    for (const [name, label] of rows) {
      const rs = pick(name.startsWith('K') ? 'fig4' : 'fig3', name);
      out.push(`| ${label} | ${rs.length} | ${pm(rs.map((r) => r.dev.relF1))} | ${pm(rs.map((r) => r.dev.entF1))} |`);
    }
  };
  grid('Figure 3: α × μ (Γ + Δ_E+R, K = 2)', layout.alphas.flatMap((a) => layout.mus.map((m): [string, string] => [`alpha${a}-mu${m}`, `α = ${a}, μ = ${m}`])));
  grid('Figure 4: K (Γ + Δ_E+R, α = 1, μ = 1)', layout.ks.map((k): [string, string] => [`K${k}`, `K = ${k}`]));
  return out.join('\n') + '\n';
}
