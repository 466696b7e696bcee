/** Plain-text error breakdown for the CLI: counts by category and type, the confusion matrices, examples. */
import type { ErrorReport, RelationRef, SpanRef } from './errors.js';
import { NONE, unusedLabel, type ConfusionMatrix, type ErrorBreakdown, type ErrorInstance } from './errors-tally.js';
import { alignRows } from './table.js';

const align = (rows: string[][]) => alignRows(rows).join('\n');

/**
 * Rows: types, then all (`(all)` if a type is named all); columns: categories. Cells are FP/FN, or one
 * number where a side cannot occur.
 */
function counts<C extends string>(title: string, b: ErrorBreakdown<C, unknown>): string {
  const categories = Object.keys(b.byCategory) as C[];
  const cell = (c: C, x: { fp: number; fn: number }) => (c === 'spurious' ? `${x.fp}` : c === 'missed' ? `${x.fn}` : `${x.fp}/${x.fn}`);
  const row = (name: string, byCat: Record<C, { fp: number; fn: number }>) => {
    const fp = categories.reduce((n, c) => n + byCat[c].fp, 0);
    const fn = categories.reduce((n, c) => n + byCat[c].fn, 0);
    return [`  ${name}`, ...categories.map((c) => cell(c, byCat[c])), `${fp}/${fn}`];
  };
  const table = align([
    ['', ...categories, 'total'],
    ...Object.entries(b.perType).map(([t, byCat]) => row(t, byCat)),
    row(unusedLabel(new Set(Object.keys(b.perType)), 'all', 'all'), b.byCategory),
  ]);
  return `${title} by category (FP/FN; spurious are FPs, missed FNs)\n${table}`;
}

/** The relation errors whose arguments are both correct entities, by category, as one row. */
function argumentsCorrect(r: ErrorReport['relations']): string {
  const categories = Object.keys(r.argumentsCorrect) as (keyof typeof r.argumentsCorrect)[];
  const cell = (c: string, x: { fp: number; fn: number }) => (c === 'spurious' ? `${x.fp}` : c === 'missed' ? `${x.fn}` : `${x.fp}/${x.fn}`);
  const total = (side: 'fp' | 'fn') => categories.reduce((n, c) => n + r.argumentsCorrect[c][side], 0);
  const table = align([
    ['', ...categories, 'total'],
    ['  both arguments correct', ...categories.map((c) => cell(c, r.argumentsCorrect[c])), `${total('fp')}/${total('fn')}`],
  ]);
  return `Relation errors whose two arguments are correct entities: the relation model's own (FP/FN)\n${table}`;
}

/** Rows gold, columns predicted; the title says which label is "no item" when it is not NONE. */
function confusion(title: string, m: ConfusionMatrix): string {
  const none = m.none === NONE ? '' : `; ${m.none}: no item, a type being named ${NONE}`;
  return `${title} (rows gold, columns predicted${none})\n${align([['', ...m.labels], ...m.labels.map((g, i) => [`  ${g}`, ...m.counts[i].map(String)])])}`;
}

const span = (s: SpanRef) => `"${s.text}" ${s.type} [${s.start},${s.end})`;
const relation = (r: RelationRef) => `${r.type}(${span(r.head)}, ${span(r.tail)})`;

/** The first `n` errors of each category, in corpus order. */
function examples<C extends string, R>(title: string, b: ErrorBreakdown<C, R>, n: number, show: (r: R) => string): string {
  const lines = [`${title}, first ${n} per category (gold → predicted)`];
  for (const c of Object.keys(b.byCategory) as C[]) {
    const some = b.errors.filter((e) => e.category === c).slice(0, n);
    if (some.length > 0) lines.push(`  ${c}`, ...some.map((e) => `    ${example(e, show)}`));
  }
  return lines.length > 1 ? lines.join('\n') : `${lines[0]}: none`;
}

function example<C, R>(e: ErrorInstance<C, R>, show: (r: R) => string): string {
  const side = (r: R | null) => (r === null ? '—' : show(r));
  return `${e.side.toUpperCase()} document '${e.document}', sentence ${e.sentence}: ${side(e.gold)} → ${side(e.pred)}`;
}

/** The report `evaluate --errors` prints after the scores; `n` examples per category (0: none). */
export function formatErrors(report: ErrorReport, n: number): string {
  const { entities: ents, relations: rels } = report;
  const blocks = [
    counts('Entity errors', ents),
    confusion('Entity types over exact spans', ents.confusion),
    counts('Relation errors (strict)', rels),
    argumentsCorrect(rels),
    confusion('Relation types over argument-exact pairs', rels.confusion),
  ];
  if (n > 0) blocks.push(examples('Entity errors', ents, n, span), examples('Relation errors', rels, n, relation));
  return blocks.join('\n\n') + '\n';
}
