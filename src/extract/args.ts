/**
 * Checks of the extracted documents a library user passes to the public entry points (toBratAnn, the
 * renderers), so that misuse is a one-line UserError naming the argument rather than a TypeError from
 * deep inside (options objects: `checkOptions` in errors.ts).
 */
import { described, isObject, UserError } from '../errors.js';
import type { ExtractedDocument } from './types.js';

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
