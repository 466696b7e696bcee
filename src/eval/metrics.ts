/**
 * Corpus-level counts → P/R/F1. Every ratio is 0 when its denominator is 0 (spec §4.2).
 * Macro averages run over the schema's types ∪ every type seen in gold or predictions, so a schema
 * type the system never gets right (or that has no gold) pulls the macro score down instead of
 * silently vanishing; micro is unaffected by that choice.
 */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export interface PRF {
  p: number;
  r: number;
  f1: number;
}
export type TypeScores = Counts & PRF;
export interface CriterionScores {
  micro: TypeScores;
  macro: PRF;
  /**
   * Scores by type, schema types first. No prototype: a type named `__proto__`, `constructor` or
   * `toString` is a row like any other, and a type not in the report reads undefined. Same JSON as a
   * plain object.
   */
  perType: Record<string, TypeScores>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function scores(c: Counts): TypeScores {
  const p = ratio(c.tp, c.tp + c.fp);
  const r = ratio(c.tp, c.tp + c.fn);
  return { tp: c.tp, fp: c.fp, fn: c.fn, p, r, f1: ratio(2 * p * r, p + r) };
}

/** Per-type TP/FP/FN over a corpus, for one criterion. */
export class TypeCounter {
  private readonly counts = new Map<string, Counts>();

  private get(type: string): Counts {
    let c = this.counts.get(type);
    if (!c) this.counts.set(type, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  }

  /** Scores one sentence: each map is item key → type; keys are sets, so duplicates already count once. */
  add(gold: ReadonlyMap<string, string>, pred: ReadonlyMap<string, string>): void {
    for (const [k, type] of pred) this.get(type)[gold.has(k) ? 'tp' : 'fp']++;
    for (const [k, type] of gold) if (!pred.has(k)) this.get(type).fn++;
  }

  /** `types` (the schema's) come first in perType, then types seen only in the data. */
  summarize(types: readonly string[]): CriterionScores {
    const all = [...new Set([...types, ...this.counts.keys()])];
    const byType = new Map<string, TypeScores>();
    const total: Counts = { tp: 0, fp: 0, fn: 0 };
    for (const t of all) {
      const c = this.counts.get(t) ?? { tp: 0, fp: 0, fn: 0 };
      byType.set(t, scores(c));
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
    }
    // `{}` lost a type named `__proto__` (the assignment set the prototype) and read `constructor` as a function.
    const perType = Object.create(null) as Record<string, TypeScores>;
    for (const [t, s] of byType) perType[t] = s;
    const mean = (f: (s: TypeScores) => number) => ratio([...byType.values()].reduce((a, s) => a + f(s), 0), all.length);
    return { micro: scores(total), macro: { p: mean((s) => s.p), r: mean((s) => s.r), f1: mean((s) => s.f1) }, perType };
  }
}
