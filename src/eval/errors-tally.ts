/** Accumulation shared by the entity and relation error breakdowns: counts, confusion cells, instances. */

/** The confusion matrices' row and column for "no item on this side". */
export const NONE = 'NONE';

export interface FpFn {
  fp: number;
  fn: number;
}

/** Rows are gold labels, columns predicted ones, both in `labels` order (NONE last). */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

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
export function confusionCells<T>(gold: readonly T[], pred: readonly T[], group: (t: T) => string, key: (t: T) => string, label: (t: T) => string): [string, string][] {
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
 * diagonal), then each remaining gold item with the first remaining prediction of another label, then
 * the rest against NONE. So a row adds up to its gold items and a column to its predictions.
 */
function pairLabels<T>(gold: readonly T[], pred: readonly T[], key: (t: T) => string, label: (t: T) => string): [string, string][] {
  const predKeys = new Set(pred.map(key));
  const goldKeys = new Set(gold.map(key));
  const cells: [string, string][] = gold.filter((g) => predKeys.has(key(g))).map((g) => [label(g), label(g)]);
  const restPred = pred.filter((p) => !goldKeys.has(key(p)));
  for (const g of gold.filter((x) => !predKeys.has(key(x)))) {
    const i = restPred.findIndex((p) => label(p) !== label(g));
    cells.push([label(g), i < 0 ? NONE : label(restPred.splice(i, 1)[0])]);
  }
  for (const p of restPred) cells.push([NONE, label(p)]);
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

  confuse(cells: readonly [gold: string, pred: string][]): void {
    for (const [g, p] of cells) {
      for (const t of [g, p]) if (t !== NONE) this.seen.add(t);
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
    const labels = [...new Set([...types, NONE])];
    const counts = labels.map((g) => labels.map((p) => this.cells.get(JSON.stringify([g, p])) ?? 0));
    const sum = (side: keyof FpFn) => this.categories.reduce((n, c) => n + byCategory[c][side], 0);
    return {
      fp: sum('fp'),
      fn: sum('fn'),
      byCategory,
      perType: record(types.map((t) => [t, this.perType.get(t) ?? this.zero()])),
      confusion: { labels, counts },
      errors: [...this.instances],
    };
  }
}
