/**
 * Checks of what a library user passes to the public entry points (Extractor, extractStream, toBratAnn,
 * the renderers), so that misuse is a one-line UserError naming the argument rather than a TypeError
 * from deep inside. Only shapes are checked here; values are checked where they are used (options.ts).
 */
import { quote, UserError } from '../errors.js';
import type { ExtractedDocument } from './types.js';

/** A value for a message: `null`, `an array`, `a function`, or the value itself (quoted, cut short). */
export function described(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v !== null && typeof v === 'object') return `an object ${quote(v)}`;
  return v === undefined ? 'undefined' : quote(v);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An options object: undefined or null (none given) or a plain object whose keys are all in `names`
 * (any other key is a typo, an error rather than silently ignored).
 */
export function checkOptions(value: unknown, field: string, names?: readonly string[]): void {
  if (value === undefined || value === null) return;
  const shape = names ? ` {${names.join(', ')}}` : '';
  if (!isObject(value)) throw new UserError(`must be an object${shape}, got ${described(value)}`, { field });
  if (names)
    for (const key of Object.keys(value))
      if (!names.includes(key)) throw new UserError(`unknown option ${quote(key)} (allowed: ${names.join(', ')})`, { field });
}

/** An extracted document, as far as the code that reads it relies on: `{text, entities, relations}`. */
export function checkDocument(doc: unknown, field: string): asserts doc is ExtractedDocument {
  if (!isObject(doc) || typeof doc.text !== 'string' || !Array.isArray(doc.entities) || !Array.isArray(doc.relations))
    throw new UserError(`must be an extracted document {text, entities, relations}, got ${described(doc)}`, { field });
}

/** A list of extracted documents. */
export function checkDocuments(docs: unknown, field: string): asserts docs is ExtractedDocument[] {
  if (!Array.isArray(docs)) throw new UserError(`must be an array of extracted documents, got ${described(docs)}`, { field });
  docs.forEach((d, i) => checkDocument(d, `${field}[${i}]`));
}
