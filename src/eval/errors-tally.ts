/** Accumulation shared by the entity and relation error breakdowns: counts, confusion cells, instances. */

/**
 * The label of the confusion matrices' row and column for "no item on this side", unless a type has
 * that name: a matrix's own is its `none` (`noneLabel`).
 */
export const NONE = 'NONE';

/**
 * `preferred` unless it is `taken`, else the first of `(fallback)`, `(fallback 2)`, … that is not: a
 * label for something that is no type (no item, all types) which no type can be mistaken for.
 */
export function unusedLabel(taken: ReadonlySet<string>, preferred: string, fallback: string): string {
  if (!taken.has(preferred)) return preferred;
  for (let i = 1; ; i++) {
    const label = i === 1 ? `(${fallback})` : `(${fallback} ${i})`;
    if (!taken.has(label)) return label;
  }
}

/** The "no item" label of a matrix over `types`: NONE, or `(none)` etc. when a type is named NONE. */
const noneLabel = (types: Iterable<string>): string => unusedLabel(new Set(types), NONE, 'none');

export interface FpFn {
  fp: number;
  fn: number;
}

/** Rows are gold labels, columns predicted ones, both in `labels` order ("no item" last). */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
  /**
   * The last label, the row and column of "no item on this side" (a missed gold item's prediction, a
   * spurious prediction's gold item): `NONE`, or `(none)` (`(none 2)`, …) when a type is named NONE.
   */
  none: string;
}

/** A confusion cell's side: a type, or null for "no item" (kept apart from any type until the matrix is labelled). */
export type CellLabel = string | null;

/** One error: `fp` is a prediction (`pred`), `fn` a gold item (`gold`); the other field is the counterpart that decided the category (null for spurious/missed). */
export interface ErrorInstance<C, R> {
  category: C;
  side: 'fp' | 'fn';
  document: string;
  sentence: number;
  gold: R | null;
  pred: R | null;
}

export interface ErrorBreakdown<C extends string, R> {
  /** Equal to the Scorer's strict fp and fn. */
  fp: number;
  fn: number;
  byCategory: Record<C, FpFn>;
  /** Schema types first, then types seen only in the data; no prototype, as CriterionScores.perType. */
  perType: Record<string, Record<C, FpFn>>;
  confusion: ConfusionMatrix;
  /** Every error, in corpus order (per sentence: fps, then fns). */
  errors: ErrorInstance<C, R>[];
}

/** A classified error before it is located: the erroneous item, its type, and its counterpart. */
export interface Classified<C, T> {
  category: C;
  side: 'fp' | 'fn';
  type: string;
  item: T;
  other?: T;
}

/**
 * Confusion cells [gold label, predicted label] of two sides' items, matched within groups (`group`: a
 * span, or an argument pair) by `pairLabels`.
 */
export function confusionCells<T>(gold: readonly T[], pred: readonly T[], group: (t: T) => string, key: (t: T) => string, label: (t: T) => string): [CellLabel, CellLabel][] {
  const groups = new Map<string, [T[], T[]]>();
  const sides = (t: T) => {
    const k = group(t);
    let s = groups.get(k);
    if (!s) groups.set(k, (s = [[], []]));
    return s;
  };
  for (const g of gold) sides(g)[0].push(g);
  for (const p of pred) sides(p)[1].push(p);
  return [...groups.values()].flatMap(([g, p]) => pairLabels(g, p, key, label));
}

/**
 * Confusion cells of the items on one span (or argument pair): the items equal on both sides first (the
 * diagonal); then a gold item and a prediction of the same label that still differ (a relation the other
 * way round) each against "no item", as strict scoring sees them; then each remaining gold item with the
 * first remaining prediction of another label; then the rest against "no item" (null). So a row adds up
 * to its gold items and a column to its predictions.
 */
function pairLabels<T>(gold: readonly T[], pred: readonly T[], key: (t: T) => string, label: (t: T) => string): [CellLabel, CellLabel][] {
  const predKeys = new Set(pred.map(key));
  const goldKeys = new Set(gold.map(key));
  const cells: [CellLabel, CellLabel][] = gold.filter((g) => predKeys.has(key(g))).map((g) => [label(g), label(g)]);
  const restPred = pred.filter((p) => !goldKeys.has(key(p)));
  const restGold: T[] = [];
  for (const g of gold.filter((x) => !predKeys.has(key(x)))) {
    const i = restPred.findIndex((p) => label(p) === label(g));
    if (i < 0) restGold.push(g);
    else cells.push([label(g), null], [null, label(restPred.splice(i, 1)[0])]);
  }
  for (const g of restGold) {
    const i = restPred.findIndex((p) => label(p) !== label(g));
    cells.push([label(g), i < 0 ? null : label(restPred.splice(i, 1)[0])]);
  }
  for (const p of restPred) cells.push([null, label(p)]);
  return cells;
}

/** Nothing inherited: a type named `__proto__` or `constructor` is a key like any other. */
const record = <V>(entries: Iterable<[string, V]>): Record<string, V> => {
  const r = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) r[k] = v;
  return r;
};

export class Tally<C extends string, R> {
  private readonly perType = new Map<string, Record<C, FpFn>>();
  private readonly cells = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly instances: ErrorInstance<C, R>[] = [];

  constructor(
    private readonly categories: readonly C[],
    private readonly types: readonly string[],
  ) {}

  private zero(): Record<C, FpFn> {
    return record(this.categories.map((c) => [c, { fp: 0, fn: 0 }])) as Record<C, FpFn>;
  }

  private counts(type: string): Record<C, FpFn> {
    let c = this.perType.get(type);
    if (!c) this.perType.set(type, (c = this.zero()));
    return c;
  }

  error<T>(c: Classified<C, T>, ref: (t: T) => R, at: { document: string; sentence: number }): void {
    this.counts(c.type)[c.category][c.side]++;
    const [item, other] = [ref(c.item), c.other === undefined ? null : ref(c.other)];
    const [gold, pred] = c.side === 'fp' ? [other, item] : [item, other];
    this.instances.push({ category: c.category, side: c.side, document: at.document, sentence: at.sentence, gold, pred });
  }

  confuse(cells: readonly [gold: CellLabel, pred: CellLabel][]): void {
    for (const [g, p] of cells) {
      for (const t of [g, p]) if (t !== null) this.seen.add(t);
      const k = JSON.stringify([g, p]);
      this.cells.set(k, (this.cells.get(k) ?? 0) + 1);
    }
  }

  report(): ErrorBreakdown<C, R> {
    const types = [...new Set([...this.types, ...this.seen, ...this.perType.keys()])];
    const byCategory = this.zero();
    for (const counts of this.perType.values())
      for (const c of this.categories) {
        byCategory[c].fp += counts[c].fp;
        byCategory[c].fn += counts[c].fn;
      }
    // Cells are keyed by type or null ("no item"): a type named NONE is a row of its own.
    const keys: CellLabel[] = [...types, null];
    const counts = keys.map((g) => keys.map((p) => this.cells.get(JSON.stringify([g, p])) ?? 0));
    const none = noneLabel(types);
    const sum = (side: keyof FpFn) => this.categories.reduce((n, c) => n + byCategory[c][side], 0);
    return {
      fp: sum('fp'),
      fn: sum('fn'),
      byCategory,
      perType: record(types.map((t) => [t, this.perType.get(t) ?? this.zero()])),
      confusion: { labels: [...types, none], counts, none },
      errors: [...this.instances],
    };
  }
}
