/** Plain-text report for the CLI: one block per criterion, P/R/F1 in percent with 2 decimals. */
import type { CriterionScores } from './metrics.js';
import type { EvalReport } from './scorer.js';

const pct = (x: number) => (100 * x).toFixed(2);

function block(title: string, s: CriterionScores): string[][] {
  const rows: string[][] = [[title, 'TP', 'FP', 'FN', 'P', 'R', 'F1']];
  for (const [type, t] of Object.entries(s.perType))
    rows.push([`  ${type}`, `${t.tp}`, `${t.fp}`, `${t.fn}`, pct(t.p), pct(t.r), pct(t.f1)]);
  const m = s.micro;
  rows.push(['  micro', `${m.tp}`, `${m.fp}`, `${m.fn}`, pct(m.p), pct(m.r), pct(m.f1)]);
  rows.push(['  macro', '', '', '', pct(s.macro.p), pct(s.macro.r), pct(s.macro.f1)]);
  return rows;
}

/** Aligns every block to shared column widths: first column left-aligned, numbers right-aligned. */
export function formatReport(report: EvalReport): string {
  const blocks = [
    block('Entities', report.entities),
    block('Relations (strict)', report.relations.strict),
    block('Relations (boundaries)', report.relations.boundaries),
    block('Relations (nyt: ignore entity type)', report.relations.nyt),
  ];
  const widths = [0, 1, 2, 3, 4, 5, 6].map((c) => Math.max(...blocks.flat().map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [`Sentences: ${report.sentences}`, ...blocks.map((b) => b.map(line).join('\n'))].join('\n\n') + '\n';
}
