/**
 * Digests that tell whether a run goes on with what it started with: a resumed training run and a
 * cross-validation study run again refuse other data or settings.
 */
import { createHash } from 'node:crypto';
import type { Document, LabelSchema } from '../data/corpus.js';

/** sha256 of a value's JSON with its object keys sorted (the same settings in any order, the same digest). */
export function digest(value: unknown): string {
  return createHash('sha256').update(sortedJson(value) ?? 'undefined').digest('hex');
}

/**
 * sha256 of a corpus as read (its documents, annotations and label schema), one document at a time: a
 * large corpus is not held as one string.
 */
export function corpusDigest(documents: readonly Document[], schema: LabelSchema): string {
  const hash = createHash('sha256');
  const add = (v: unknown) => hash.update(sortedJson(v) + '\n');
  add(schema);
  for (const d of documents) add(d);
  return hash.digest('hex');
}

function sortedJson(value: unknown): string | undefined {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((key) => [key, sorted((v as Record<string, unknown>)[key])])) : v;
  return JSON.stringify(sorted(value));
}
