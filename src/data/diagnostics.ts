/**
 * Counted warnings: what a reader could not represent (a nested entity, a dangling relation argument,
 * a cross-sentence relation). Nothing is dropped silently: every drop is counted here with examples,
 * and the CLI prints the summary.
 */
export interface WarningSummary {
  code: string;
  count: number;
  examples: string[];
}

export class Diagnostics {
  private readonly byCode = new Map<string, WarningSummary>();
  constructor(private readonly maxExamples = 3) {}

  warn(code: string, example: string): void {
    let w = this.byCode.get(code);
    if (!w) {
      w = { code, count: 0, examples: [] };
      this.byCode.set(code, w);
    }
    w.count++;
    if (w.examples.length < this.maxExamples) w.examples.push(example);
  }

  /** Adds `other`'s counts and its examples, up to this one's limit. */
  absorb(other: Diagnostics): void {
    for (const w of other.summary()) {
      const before = this.count(w.code);
      for (const e of w.examples) this.warn(w.code, e);
      this.byCode.get(w.code)!.count = before + w.count;
    }
  }

  count(code?: string): number {
    if (code !== undefined) return this.byCode.get(code)?.count ?? 0;
    let n = 0;
    for (const w of this.byCode.values()) n += w.count;
    return n;
  }

  /** Forgets the warnings of `code`: a caller that says the same thing in its own words. */
  drop(code: string): void {
    this.byCode.delete(code);
  }

  summary(): WarningSummary[] {
    return [...this.byCode.values()];
  }

  /** Human-readable lines, one per warning code. */
  format(): string[] {
    return this.summary().map((w) => `warning: ${w.code} ×${w.count} (e.g. ${w.examples.join('; ')})`);
  }
}
