/**
 * The one in-memory corpus model every reader produces and every writer, trainer and evaluator consumes.
 *
 * Documents hold the original text; sentences and tokens point into it with character offsets
 * (UTF-16 code units, as JavaScript strings index). Entities are token spans relative to their
 * sentence, end-exclusive. Relations link two entities of the same sentence by id.
 * Formats that have no original text (pre-tokenised corpora) get a text made of the tokens joined by
 * single spaces, sentences separated by a newline.
 */
import { described, isObject, quote, UserError } from '../errors.js';
import type { Token } from '../text/token.js';

export type { Token };

export interface Entity {
  /** Unique within the document. */
  id: string;
  type: string;
  /** First token, index into `Sentence.tokens`. */
  start: number;
  /** One past the last token (end-exclusive). */
  end: number;
}

export interface Relation {
  type: string;
  /** Entity id of the first argument (Arg1, the head). */
  head: string;
  /** Entity id of the second argument (Arg2, the tail). */
  tail: string;
}

export interface Sentence {
  tokens: Token[];
  entities: Entity[];
  relations: Relation[];
}

export interface Document {
  id: string;
  text: string;
  sentences: Sentence[];
}

export interface RelationType {
  name: string;
  /** Symmetric relations are scored unordered and canonicalised to text order. */
  symmetric: boolean;
}

export interface LabelSchema {
  entityTypes: string[];
  relationTypes: RelationType[];
}

/** A label schema from a library caller, as far as the code reading it relies on. */
export function checkLabelSchema(schema: unknown, field: string): asserts schema is LabelSchema {
  const o = schema as Partial<Record<keyof LabelSchema, unknown>> | null;
  const ok =
    isObject(schema) &&
    Array.isArray(o!.entityTypes) &&
    o!.entityTypes.every((t) => typeof t === 'string') &&
    Array.isArray(o!.relationTypes) &&
    o!.relationTypes.every((r) => isObject(r) && typeof r.name === 'string');
  if (!ok) throw new UserError(`must be a label schema {entityTypes: string[], relationTypes: {name, symmetric}[]}, got ${described(schema)}`, { field });
}

/** Documents from a library caller: an array of objects with their sentences (their content is read as it is used). */
export function checkDocumentArray(docs: unknown, field: string): asserts docs is Document[] {
  if (!Array.isArray(docs)) throw new UserError(`must be an array of documents {id, sentences}, got ${described(docs)}`, { field });
  docs.forEach((d, i) => {
    if (!isObject(d) || !Array.isArray(d.sentences)) throw new UserError(`must be a document {id, sentences}, got ${described(d)}`, { field: `${field}[${i}]` });
  });
}

export interface Corpus {
  documents: Document[];
  schema: LabelSchema;
}

/** Schema holding every type seen in the documents, in order of first appearance; nothing symmetric. */
export function inferSchema(documents: Iterable<Document>, symmetric: Iterable<string> = []): LabelSchema {
  const ents = new Set<string>();
  const rels = new Set<string>();
  for (const doc of documents)
    for (const s of doc.sentences) {
      for (const e of s.entities) ents.add(e.type);
      for (const r of s.relations) rels.add(r.type);
    }
  const sym = new Set(symmetric);
  return {
    entityTypes: [...ents],
    relationTypes: [...rels].map((name) => ({ name, symmetric: sym.has(name) })),
  };
}

/** The first schema extended by the types only the later ones have (in order); symmetric if any says so. */
export function mergeSchemas(...schemas: readonly LabelSchema[]): LabelSchema {
  const all = schemas.flatMap((s) => s.relationTypes);
  const sym = new Set(all.filter((r) => r.symmetric).map((r) => r.name));
  return {
    entityTypes: [...new Set(schemas.flatMap((s) => s.entityTypes))],
    relationTypes: [...new Set(all.map((r) => r.name))].map((name) => ({ name, symmetric: sym.has(name) })),
  };
}

/** Builds a document from pre-tokenised sentences: text = tokens joined by ' ', sentences by '\n'. */
export function documentFromTokens(
  id: string,
  sentences: { tokens: string[]; entities: Entity[]; relations: Relation[] }[],
): Document {
  let text = '';
  const out: Sentence[] = [];
  sentences.forEach((s, si) => {
    if (si > 0) text += '\n';
    const tokens: Token[] = s.tokens.map((t, ti) => {
      if (ti > 0) text += ' ';
      const start = text.length;
      text += t;
      return { text: t, start, end: text.length };
    });
    out.push({ tokens, entities: s.entities, relations: s.relations });
  });
  return { id, text, sentences: out };
}

export function* allSentences(corpus: { documents: Iterable<Document> }): Generator<Sentence> {
  for (const d of corpus.documents) yield* d.sentences;
}

export function countSentences(docs: Iterable<Document>): number {
  let n = 0;
  for (const d of docs) n += d.sentences.length;
  return n;
}

/** An entity's text for a message, quoted and cut short; `?` for none, or one whose span leaves its sentence. */
export function entitySurface(doc: Document, s: Sentence, e: Entity | undefined): string {
  if (!e || e.start < 0 || e.end > s.tokens.length || e.end <= e.start) return '?';
  return quote(doc.text.slice(s.tokens[e.start].start, s.tokens[e.end - 1].end), 40);
}
