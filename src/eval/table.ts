/** Plain-text report for the CLI: one block per criterion, P/R/F1 in percent with 2 decimals. */
import type { CriterionScores } from './metrics.js';
import type { EvalReport } from './scorer.js';

/** A fraction as the score tables show it: a percentage with 2 decimals (`0.6789` → `67.89`). */
export const percent = (x: number): string => (100 * x).toFixed(2);

function block(title: string, s: CriterionScores): string[][] {
  const rows: string[][] = [[title, 'TP', 'FP', 'FN', 'P', 'R', 'F1']];
  for (const [type, t] of Object.entries(s.perType))
    rows.push([`  ${type}`, `${t.tp}`, `${t.fp}`, `${t.fn}`, percent(t.p), percent(t.r), percent(t.f1)]);
  const m = s.micro;
  rows.push(['  micro', `${m.tp}`, `${m.fp}`, `${m.fn}`, percent(m.p), percent(m.r), percent(m.f1)]);
  rows.push(['  macro', '', '', '', percent(s.macro.p), percent(s.macro.r), percent(s.macro.f1)]);
  return rows;
}

/** Rows aligned to shared column widths: first column left-aligned, numbers right-aligned. */
export function alignRows(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

/** One block per criterion, all aligned to the same column widths. */
export function formatReport(report: EvalReport): string {
  const blocks = [
    block('Entities', report.entities),
    block('Relations (strict)', report.relations.strict),
    block('Relations (boundaries)', report.relations.boundaries),
    block('Relations (nyt: ignore entity type)', report.relations.nyt),
  ];
  const lines = alignRows(blocks.flat());
  let at = 0;
  const text = blocks.map((b) => lines.slice(at, (at += b.length)).join('\n'));
  return [`Sentences: ${report.sentences}`, ...text].join('\n\n') + '\n';
}
