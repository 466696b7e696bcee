/**
 * Shared pieces of the formats that annotate raw text with character spans (brat's `text` layout,
 * doccano, Label Studio): the text cut into sentences and tokens as `extract` cuts it, tokens cut at every
 * entity (data/fit-spans.ts); relations attached where both arguments landed in one sentence; and what a
 * writer of such a format loses (the sentences and tokens the splitter does not make again).
 */
import { quote, UserError, type ErrorLocation } from '../../errors.js';
import { tokenizedSentences, type Token } from '../../text/index.js';
import type { Document, Entity, Sentence } from '../corpus.js';
import type { Diagnostics } from '../diagnostics.js';
import { edgesInsideWords, fitSentencesToSpans } from '../fit-spans.js';
import { firstIndex } from '../search.js';
import { fail } from '../validate.js';
import { refuseUnreadable } from './common.js';

/** An entity as a character span (UTF-16 offsets into the text). */
export interface CharEntity {
  id: string;
  type: string;
  start: number;
  end: number;
  /** Where it is written, for warnings (`file:line id`). */
  where: string;
}

/** A relation between two entities by id. */
export interface CharRelation {
  type: string;
  head: string;
  tail: string;
  where: string;
}

/** Each entity's sentence and token span, or null where it holds no token (dropped, and warned about). */
export type Placed = Map<string, { sentence: number; entity: Entity } | null>;

/**
 * `text` split as `extract` splits it (`style`: the model's tokenizer), fitted to `entities`: each is
 * exactly its characters, whole tokens of one sentence. An entity on spaces only holds no token:
 * `<prefix>-entity-on-whitespace-dropped`. What the fitting changes is counted, since training and
 * evaluation then see what extraction never does: an edge that cuts a word (`entity-edge-inside-word`,
 * `"Pari|s"`), and spaces at an entity's edges left out of it (`entity-edges-trimmed`).
 */
export function placeOnText(text: string, entities: readonly CharEntity[], style: 'ptb' | 'conll04', d: Diagnostics, prefix: string): { sentences: Sentence[]; placed: Placed } {
  const split = tokenizedSentences(text, { style });
  const fitted = fitSentencesToSpans(text, split, entities);
  const tokens = split.flatMap((s) => s.tokens);
  const sentences: Sentence[] = fitted.sentences.map((s) => ({ tokens: s.tokens, entities: [], relations: [] }));
  const placed: Placed = new Map();
  entities.forEach(({ id, type, start, end, where }, k) => {
    const p = fitted.placed[k];
    if (!p) {
      placed.set(id, null);
      return d.warn(`${prefix}-entity-on-whitespace-dropped`, where);
    }
    for (const cut of edgesInsideWords(text, tokens, { start, end })) d.warn('entity-edge-inside-word', `${where}: ${shownCut(text, cut.token, cut.at)}`);
    const own = sentences[p.sentence].tokens;
    const [from, to] = [own[p.start].start, own[p.end - 1].end];
    if (from !== start || to !== end) d.warn('entity-edges-trimmed', `${where}: ${quote(text.slice(start, end), 40)} read as ${quote(text.slice(from, to), 40)}`);
    const entity = { id, type, start: p.start, end: p.end };
    sentences[p.sentence].entities.push(entity);
    placed.set(id, { sentence: p.sentence, entity });
  });
  return { sentences, placed };
}

/** A token with a bar at a cut, `"Pari|s"`, at most `WIDE` characters either side of it. */
const WIDE = 15;
function shownCut(text: string, token: Token, at: number): string {
  const [from, to] = [Math.max(token.start, at - WIDE), Math.min(token.end, at + WIDE)];
  return quote(`${from > token.start ? '…' : ''}${text.slice(from, at)}|${text.slice(at, to)}${to < token.end ? '…' : ''}`);
}

/**
 * The relations whose two arguments are entities of one sentence, added to it; a relation with a dropped
 * argument, or arguments in two sentences, is counted (`relation-dropped-with-entity`,
 * `cross-sentence-relation-dropped`). Arguments must be `placed` keys (readers check ids first).
 */
export function attachRelations(
  sentences: Sentence[],
  placed: Placed,
  relations: readonly CharRelation[],
  d: Diagnostics,
  /** Whether to swap a relation's arguments (brat's ACE05 reading puts PER-SOC in text order). */
  swap?: (r: CharRelation, head: Entity, tail: Entity) => boolean,
): void {
  for (const r of relations) {
    const [h, t] = [placed.get(r.head), placed.get(r.tail)];
    if (!h || !t) d.warn('relation-dropped-with-entity', r.where);
    else if (h.sentence !== t.sentence) d.warn('cross-sentence-relation-dropped', r.where);
    else {
      const [head, tail] = swap?.(r, h.entity, t.entity) ? [t.entity, h.entity] : [h.entity, t.entity];
      sentences[h.sentence].relations.push({ type: r.type, head: head.id, tail: tail.id });
    }
  }
}

/** Code point offset → UTF-16 offset (identity unless the text has characters outside the BMP); past the end: beyond the text. */
export function fromCodePoints(text: string): (cp: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (cp) => cp;
  const map: number[] = [];
  for (let i = 0; i < text.length; i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) map.push(i);
  map.push(text.length);
  return (cp) => map[cp] ?? text.length + 1;
}

/** UTF-16 offset → code point offset, as Python (brat, Label Studio) counts (identity unless the text has characters outside the BMP). */
export function codePointOffsets(text: string): (utf16: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = new Int32Array(text.length + 1);
  for (let i = 0, n = 0; i <= text.length; i++) {
    map[i] = n;
    const c = text.charCodeAt(i);
    // A surrogate pair is one code point: counted once, after its low half.
    if (!(c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00)) n++;
  }
  return (i) => map[i];
}

/**
 * A character span `[start, end)` of `text` from an annotation tool: whole numbers within the text, and
 * not inside a character (a surrogate pair: offsets counted in code points or graphemes, not UTF-16).
 */
export function checkCharSpan(text: string, start: unknown, end: unknown, loc: ErrorLocation, field: string): void {
  for (const [name, v] of [['start', start], ['end', end]] as const)
    if (!Number.isSafeInteger(v)) fail(`${name} must be a whole number, got ${JSON.stringify(v) ?? String(v)}`, loc, field);
  const [s, e] = [start as number, end as number];
  if (s < 0) fail(`start ${s} is negative`, loc, field);
  if (e <= s) fail(`end ${e} is not after start ${s}`, loc, field);
  if (e > text.length) fail(`end ${e} is past the end of the text (${text.length} characters)`, loc, field);
  for (const [name, at] of [['start', s], ['end', e]] as const) {
    const c = text.charCodeAt(at);
    if (c >= 0xdc00 && c <= 0xdfff && (text.charCodeAt(at - 1) & 0xfc00) === 0xd800)
      fail(`${name} ${at} falls inside a character of 2 UTF-16 code units (${quote(text.slice(at - 1, at + 1))}): offsets are read as JavaScript counts them, in UTF-16 code units`, loc, field);
  }
}

/**
 * What reading `doc` back from its text alone changes, counted in `d` (a writer of a raw-text format):
 * sentences and tokens are those the splitter and the tokenizer make, cut at the entities (`placeOnText`;
 * `style`: the tokenizer reading will use, `ptb` where nothing records another), and relations whose
 * arguments that puts in two sentences are lost.
 */
export function countSplitChanges(doc: Document, d: Diagnostics, code = { sentences: 'sentence-boundary-not-kept', tokens: 'tokens-not-kept' }, style: 'ptb' | 'conll04' = 'ptb'): void {
  const spans = doc.sentences.flatMap((s) => s.entities.map((e) => ({ start: s.tokens[e.start].start, end: s.tokens[e.end - 1].end })));
  const back = fitSentencesToSpans(doc.text, tokenizedSentences(doc.text, { style }), spans).sentences;
  const lost = (what: string) => d.warn(code.sentences, `${quote(doc.id)}: ${what}`);
  const empty = doc.sentences.findIndex((s) => !s.tokens.length);
  if (empty >= 0) lost(`sentence ${empty} has no tokens (not read back)`);
  const starts = doc.sentences.filter((s) => s.tokens.length).map((s) => s.tokens[0].start);
  const backStarts = back.map((s) => s.start);
  const i = starts.findIndex((x, k) => x !== backStarts[k]);
  if (i >= 0 || starts.length !== backStarts.length) {
    const k = i >= 0 ? i : Math.min(starts.length, backStarts.length);
    lost(`${starts.length} sentences are read back as ${backStarts.length}, the first change at character ${Math.min(starts[k] ?? Infinity, backStarts[k] ?? Infinity)}`);
  }
  const tokens = doc.sentences.flatMap((s) => s.tokens);
  const backTokens = back.flatMap((s) => s.tokens);
  const t = tokens.findIndex((x, k) => x.start !== backTokens[k]?.start || x.end !== backTokens[k].end);
  if (t >= 0) d.warn(code.tokens, `${quote(doc.id)}: token ${quote(tokens[t].text)} at ${tokens[t].start} is read back as ${backTokens[t] ? quote(backTokens[t].text) : 'nothing'}`);
  else if (backTokens.length > tokens.length) d.warn(code.tokens, `${quote(doc.id)}: text outside the sentences is read back as tokens`);
  // A relation whose arguments the splitter parts is dropped on reading back.
  const sentenceAt = (offset: number) => { // the sentences are in text order, apart: a binary search
    const i = firstIndex(back.length, (k) => back[k].start > offset) - 1;
    return i >= 0 && offset < back[i].end ? i : -1;
  };
  for (const s of doc.sentences) {
    const at = new Map(s.entities.map((e) => [e.id, sentenceAt(s.tokens[e.start].start)]));
    for (const r of s.relations)
      if (at.get(r.head) !== at.get(r.tail)) d.warn('relation-not-kept', `${quote(doc.id)}: ${r.type} (its arguments are read back in two sentences)`);
  }
}

/**
 * Each document's entities as character spans with document-wide ids (`T1`, `T2`, …), and its relations by
 * those ids; what no reader would read back refused (`refuseUnreadable`, naming `format`).
 */
export function charSpans(doc: Document, format: string): { entities: { id: string; type: string; start: number; end: number }[]; relations: { type: string; head: string; tail: string }[] } {
  refuseUnreadable(doc, format);
  const ids = new Map<string, string>();
  const entities = doc.sentences.flatMap((s, si) =>
    s.entities.map((e) => {
      const id = `T${ids.size + 1}`;
      ids.set(`${si}:${e.id}`, id);
      return { id, type: e.type, start: s.tokens[e.start].start, end: s.tokens[e.end - 1].end };
    }),
  );
  const relations = doc.sentences.flatMap((s, si) =>
    s.relations.map((r) => {
      const [head, tail] = [ids.get(`${si}:${r.head}`), ids.get(`${si}:${r.tail}`)];
      if (head === undefined || tail === undefined) {
        const [role, id] = head === undefined ? ['head', r.head] : ['tail', r.tail];
        throw new UserError(`relation ${role} ${quote(id)} is not an entity of its sentence in document ${quote(doc.id)}`);
      }
      return { type: r.type, head, tail };
    }),
  );
  return { entities, relations };
}
