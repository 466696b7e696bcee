/** Plain-text tables of confidence intervals and system comparisons (significance.ts), in percent. */
import { counted } from '../errors.js';
import { alignRows, percent } from './table.js';
import type { Difference, Interval, ResampleSettings, ScoreIntervals, SystemsComparison } from './significance.js';

/** A signed difference in points, with a true minus sign. */
const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(100 * x).toFixed(2)}`;
const range = (i: Interval, f: (x: number) => string) => `[${f(i.low)}, ${f(i.high)}]`;
const MEASURE_TITLES = ['Entities', 'Relations (strict)', 'Relations (boundaries)'] as const;

const align = (rows: string[][]) => alignRows(rows).join('\n');

const resampled = (s: ResampleSettings) =>
  `${s.samples} resamples of the ${counted(s.units, `gold ${s.unit}`)}, seed ${s.seed}`;
const level = (s: ResampleSettings) => `${+(100 * s.confidence).toFixed(4)} %`;
/** Four decimals, or two significant digits below 0.001, so that no p-value reads 0.0000 (it never is 0). */
const pValue = (p: number) => (p >= 0.001 ? p.toFixed(4) : p.toPrecision(2));

/** The intervals of one system's P, R and F1, after `formatReport`'s tables. */
export function formatIntervals(ci: ScoreIntervals): string {
  const rows = [['', 'P', 'R', 'F1']];
  const measures = [ci.entities, ci.relations.strict, ci.relations.boundaries];
  measures.forEach((m, i) => rows.push([MEASURE_TITLES[i], range(m.p, percent), range(m.r, percent), range(m.f1, percent)]));
  return `${level(ci)} confidence intervals (percentile bootstrap: ${resampled(ci)})\n${align(rows)}\n`;
}

/** Every system's micro F1, then each system against the first: F1s, difference, interval, p. */
export function formatComparison(c: SystemsComparison, names: readonly string[]): string {
  const systems = [['system', ...MEASURE_TITLES.map((t) => `${t} F1`)]];
  c.systems.forEach((s, i) => systems.push([names[i], percent(s.entities.f1), percent(s.relations.strict.f1), percent(s.relations.boundaries.f1)]));
  // The names head the block, not its first column: two long paths there would widen every row.
  const blocks = c.comparisons.map((cmp) => {
    const rows = [['', 'baseline F1', 'F1', 'difference', `${level(c)} interval`, 'p']];
    const diffs: Difference[] = [cmp.entities, cmp.relations.strict, cmp.relations.boundaries];
    diffs.forEach((d, i) => rows.push([`  ${MEASURE_TITLES[i]}`, percent(d.baseline), percent(d.system), signed(d.diff), range(d.interval, signed), pValue(d.p)]));
    return `${names[cmp.system]} against ${names[0]}\n${align(rows)}`;
  });
  return [
    align(systems),
    `Differences in F1 points. Interval: paired bootstrap, ${resampled(c)}. p: approximate randomization, ${c.trials} shuffles (two-sided; the smallest it can give is ${pValue(1 / (c.trials + 1))}).`,
    ...blocks,
  ].join('\n\n') + '\n';
}
