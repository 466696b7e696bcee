/** Shared pieces of the pre-tokenised formats: building documents from token lists and back. */
import { documentFromTokens, type Document, type LabelSchema, type Sentence } from '../corpus.js';
import type { Diagnostics } from '../diagnostics.js';
import { quote, UserError } from '../../errors.js';
import { tokenProblem } from '../validate.js';

export interface TokenSpan {
  type: string;
  start: number;
  end: number;
}

/** A sentence as the token formats hold it: relations index `entities`. */
export interface TokenSentence {
  tokens: string[];
  entities: TokenSpan[];
  relations: { type: string; head: number; tail: number }[];
}

/** A document of pre-tokenised sentences; entity ids T1, T2, … run over the document. */
export function tokenDocument(id: string, sentences: TokenSentence[]): Document {
  let n = 0;
  return documentFromTokens(
    id,
    sentences.map((s) => {
      const entities = s.entities.map((e) => ({ id: `T${++n}`, type: e.type, start: e.start, end: e.end }));
      return {
        tokens: s.tokens,
        entities,
        relations: s.relations.map((r) => ({ type: r.type, head: entities[r.head].id, tail: entities[r.tail].id })),
      };
    }),
  );
}

/** The inverse, for writers: token texts and relations as entity indices. */
export function toTokenSentence(doc: Document, s: Sentence): TokenSentence {
  const index = new Map(s.entities.map((e, i) => [e.id, i]));
  const at = (id: string, role: string) => {
    const i = index.get(id);
    if (i === undefined) throw new UserError(`relation ${role} "${id}" is not an entity of its sentence`, { field: `document ${doc.id}` });
    return i;
  };
  return {
    tokens: s.tokens.map((t) => t.text),
    entities: s.entities.map((e) => ({ type: e.type, start: e.start, end: e.end })),
    relations: s.relations.map((r) => ({ type: r.type, head: at(r.head, 'head'), tail: at(r.tail, 'tail') })),
  };
}

/**
 * A writer refusing a label its format cannot hold (a file entrel's own reader would then reject or
 * misread). `why` completes "entity type "X" …"; `replacement`, if any, is offered as a rename.
 */
export function unwritableLabel(format: string, doc: Document, what: 'entity type' | 'relation type', label: string, why: string, replacement?: string): never {
  const rename = replacement !== undefined && replacement !== '' ? ` (e.g. to ${quote(replacement)})` : '';
  throw new UserError(`cannot write document ${quote(doc.id)} as ${format}: ${what} ${quote(label)} ${why}; rename it in the input${rename}`);
}

/**
 * Refuses what entrel's readers refuse, so that no writer makes a file it cannot read back: an empty type,
 * and a token that is empty or has whitespace at an edge (a library caller's documents may hold them), as
 * the format writes it: its character span of the text, or (`tokenTexts`, the token formats) its text.
 * `format` names the output in the message.
 */
export function refuseUnreadable(doc: Document, format: string, tokenTexts = false): void {
  const cannot = `cannot write document ${quote(doc.id)} as ${format}`;
  eachLabel(doc, (what, label) => {
    if (label === '') throw new UserError(`${cannot}: ${what} "" is empty; rename it in the input`);
  });
  doc.sentences.forEach((s, si) =>
    s.tokens.forEach((t, ti) => {
      const why = tokenProblem(tokenTexts ? t.text : doc.text.slice(t.start, t.end));
      if (why) throw new UserError(`${cannot}: sentence ${si}, token ${ti} (characters ${t.start}–${t.end}): ${why}`);
    }),
  );
}

/** Calls `check` on every entity and relation type of `doc`. */
export function eachLabel(doc: Document, check: (what: 'entity type' | 'relation type', label: string) => void): void {
  for (const s of doc.sentences) {
    for (const e of s.entities) check('entity type', e.type);
    for (const r of s.relations) check('relation type', r.type);
  }
}

/**
 * `schema`'s types and, after them, every type `add`ed documents use that it lacks (as not symmetric):
 * what a writer whose file declares the schema (brat's annotation.conf, Label Studio's labelling config)
 * declares once the documents are written.
 */
export function growingSchema(schema: LabelSchema): { add(doc: Document): void; schema: LabelSchema } {
  const grown: LabelSchema = { entityTypes: [...schema.entityTypes], relationTypes: [...schema.relationTypes] };
  const entities = new Set(grown.entityTypes);
  const relations = new Set(grown.relationTypes.map((r) => r.name));
  return {
    add: (doc) =>
      eachLabel(doc, (what, t) => {
        if (what === 'entity type' && !entities.has(t)) {
          entities.add(t);
          grown.entityTypes.push(t);
        } else if (what === 'relation type' && !relations.has(t)) {
          relations.add(t);
          grown.relationTypes.push({ name: t, symmetric: false });
        }
      }),
    schema: grown,
  };
}

/** Entity indices per `start:end` span, in order, for formats whose relations name their arguments by span. */
export function spanIndex(entities: readonly TokenSpan[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  entities.forEach((e, i) => {
    const k = `${e.start}:${e.end}`;
    const at = m.get(k);
    if (at) at.push(i);
    else m.set(k, [i]);
  });
  return m;
}

/**
 * A relation argument named by its span (unified, dygie) is the first entity with that span. Where entities
 * of different types share the span (`types`: theirs, in order), the format cannot say which one is meant:
 * counted (`relation-argument-ambiguous`; `where` names the argument).
 */
export function warnAmbiguousArgument(types: readonly string[], diagnostics: Diagnostics, where: string): void {
  if (types.some((t) => t !== types[0]))
    diagnostics.warn('relation-argument-ambiguous', `${where} is the span of ${types.length} entities (${types.map((t) => quote(t)).join(', ')}): attached to the first, ${quote(types[0])}`);
}

/**
 * For the writers of formats whose relations name their arguments by span (unified, dygie): counts each
 * relation that reading back moves, an argument of it attached to another entity, the first of its span,
 * of another type.
 */
export function countAmbiguousArguments(t: TokenSentence, id: string, diagnostics?: Diagnostics): void {
  if (!diagnostics || !t.relations.length) return;
  const spans = spanIndex(t.entities);
  for (const r of t.relations) {
    const moved = (['head', 'tail'] as const).flatMap((role) => {
      const e = t.entities[r[role]];
      const first = t.entities[spans.get(`${e.start}:${e.end}`)![0]];
      return first.type === e.type ? [] : [`the ${role} of ${r.type}, ${e.type} [${e.start}, ${e.end}), shares its span with ${first.type}, the entity it is read back as`];
    });
    if (moved.length) diagnostics.warn('relation-argument-ambiguous', `${quote(id)}: ${moved.join('; ')}`);
  }
}

export async function* mapAsync<T, U>(src: Iterable<T> | AsyncIterable<T>, f: (x: T) => U): AsyncGenerator<U> {
  for await (const x of src) yield f(x);
}

/** Serialises items as a JSON array, one element a line (streamable, diff-friendly). */
export async function* jsonArrayText(items: AsyncIterable<unknown>): AsyncGenerator<string> {
  let first = true;
  for await (const x of items) {
    yield (first ? '[\n' : ',\n') + JSON.stringify(x);
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

export async function* jsonLinesText(items: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const x of items) yield JSON.stringify(x) + '\n';
}

/**
 * Every sentence of every document, with its document and an id for the sentence alone, for the writers
 * of one sentence a record (read back as one document each), refusing what `format` could not read back
 * (`refuseUnreadable`). Counts what that loses: a document of several sentences is split, one of none is
 * dropped, and (`countTextNotKept`) text the tokens do not rebuild.
 */
export async function* sentencesOf(
  format: string,
  docs: Iterable<Document> | AsyncIterable<Document>,
  diagnostics?: Diagnostics,
): AsyncGenerator<[Document, Sentence, string]> {
  for await (const d of docs) {
    refuseUnreadable(d, format, true);
    const n = d.sentences.length;
    if (n === 0) diagnostics?.warn('empty-document-dropped', quote(d.id));
    if (n > 1) diagnostics?.warn('document-split-into-sentences', `${quote(d.id)} (${n} sentences)`);
    countTextNotKept(d, diagnostics);
    for (const [i, s] of d.sentences.entries()) yield [d, s, n === 1 ? d.id : `${d.id}#${i}`];
  }
}

/**
 * Token formats hold tokens only: reading back rebuilds the text as the tokens joined by a space and the
 * sentences by a line break (`documentFromTokens`). Counts a document whose text was anything else.
 */
export function countTextNotKept(d: Document, diagnostics?: Diagnostics): void {
  if (!diagnostics) return;
  const rebuilt = d.sentences.map((s) => s.tokens.map((t) => t.text).join(' ')).join('\n');
  // Whitespace after the last token moves no offset: a brat .txt's final line break is not a loss.
  if (rebuilt === d.text.trimEnd()) return;
  let i = 0;
  while (i < rebuilt.length && rebuilt[i] === d.text[i]) i++;
  diagnostics.warn('text-not-kept', `${quote(d.id)} from character ${i}: ${quote(d.text.slice(i, i + 20))} becomes ${quote(rebuilt.slice(i, i + 20))}`);
}

/** For writers whose files carry no schema: each relation type marked symmetric reads back as not. */
export function countSymmetricNotKept(schema: LabelSchema, diagnostics?: Diagnostics): void {
  for (const r of schema.relationTypes) if (r.symmetric) diagnostics?.warn('symmetric-flag-not-kept', quote(r.name));
}
