/** Corpus statistics for `entrel stats`: a pure summary of documents plus the reader's warnings. */
import { printable } from '../errors.js';
import type { Document, Entity } from './corpus.js';
import type { WarningSummary } from './diagnostics.js';

export interface LengthSummary {
  min: number;
  median: number;
  mean: number;
  max: number;
  p95: number;
}

export interface CorpusStats {
  documents: number;
  sentences: number;
  tokens: number;
  /** Sentence lengths in tokens (all zeros for an empty corpus). */
  sentenceLength: LengthSummary;
  /**
   * Counts by type, in order of first appearance. `byType` has no prototype, so that a type named
   * `constructor`, `toString` or `__proto__` is counted like any other and an absent type reads undefined;
   * it serialises to the same JSON as a plain object.
   */
  entities: { total: number; byType: Record<string, number> };
  relations: { total: number; byType: Record<string, number> };
  /** Entity pairs in one sentence where one span lies inside the other (identical spans included). */
  nestedPairs: number;
  /** Entity pairs whose spans cross without nesting. */
  crossingPairs: number;
  /** Sentences holding at least one nested or crossing pair: what a flat BILOU tagging cannot hold. */
  sentencesWithOverlap: number;
  warnings: WarningSummary[];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function lengths(values: number[]): LengthSummary {
  if (!values.length) return { min: 0, median: 0, mean: 0, max: 0, p95: 0 };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    min: s[0],
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    max: s[s.length - 1],
    p95: percentile(s, 95),
  };
}

function overlaps(entities: Entity[]): { nested: number; crossing: number } {
  let nested = 0;
  let crossing = 0;
  const es = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
  for (let i = 0; i < es.length; i++)
    for (let j = i + 1; j < es.length && es[j].start < es[i].end; j++) {
      if (es[j].end <= es[i].end) nested++;
      else crossing++;
    }
  return { nested, crossing };
}

/**
 * A prototype-less record of `entries`, keys in insertion order (the JSON of a plain object). Assigning
 * `__proto__` on such an object creates an own property, as it should for a type of that name.
 */
function dictionary<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

export function computeStats(documents: Iterable<Document>, warnings: WarningSummary[] = []): CorpusStats {
  const lens: number[] = [];
  // Maps, not `{}`: a type named `constructor` or `toString` would start from the inherited function, and
  // `__proto__` would set the prototype instead of counting.
  const ents = new Map<string, number>();
  const rels = new Map<string, number>();
  let docs = 0;
  let nestedPairs = 0;
  let crossingPairs = 0;
  let sentencesWithOverlap = 0;
  let entTotal = 0;
  let relTotal = 0;
  for (const d of documents) {
    docs++;
    for (const s of d.sentences) {
      lens.push(s.tokens.length);
      for (const e of s.entities) ents.set(e.type, (ents.get(e.type) ?? 0) + 1), entTotal++;
      for (const r of s.relations) rels.set(r.type, (rels.get(r.type) ?? 0) + 1), relTotal++;
      const o = overlaps(s.entities);
      nestedPairs += o.nested;
      crossingPairs += o.crossing;
      if (o.nested + o.crossing) sentencesWithOverlap++;
    }
  }
  return {
    documents: docs,
    sentences: lens.length,
    tokens: lens.reduce((a, b) => a + b, 0),
    sentenceLength: lengths(lens),
    entities: { total: entTotal, byType: dictionary(ents) },
    relations: { total: relTotal, byType: dictionary(rels) },
    nestedPairs,
    crossingPairs,
    sentencesWithOverlap,
    warnings,
  };
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** A count per type, most first; a type name as printable() shows it (it comes from the data file). */
function table(title: string, counts: Record<string, number>, total: number): string[] {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, v]) => [printable(k), v] as const);
  const w = Math.max(5, ...rows.map(([k]) => k.length));
  return [`${title} (${total}):`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(7)}`)];
}

/** Plain-text report, one fact a line; names from the data (types, warnings' examples) as printable() shows them. */
export function formatStats(s: CorpusStats): string {
  const l = s.sentenceLength;
  return [
    `documents: ${s.documents}`,
    `sentences: ${s.sentences}`,
    `tokens: ${s.tokens}`,
    `sentence length: min ${l.min}, median ${num(l.median)}, mean ${num(l.mean)}, p95 ${l.p95}, max ${l.max}`,
    ...table('entities', s.entities.byType, s.entities.total),
    ...table('relations', s.relations.byType, s.relations.total),
    `nested entity pairs: ${s.nestedPairs}`,
    `crossing entity pairs: ${s.crossingPairs}`,
    `sentences with nested/crossing entities: ${s.sentencesWithOverlap}`,
    ...(s.warnings.length
      ? ['warnings:', ...s.warnings.map((w) => `  ${w.code} ×${w.count} (e.g. ${printable(w.examples.join('; '))})`)]
      : ['warnings: none']),
  ].join('\n');
}
