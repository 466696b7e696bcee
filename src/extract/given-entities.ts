/**
 * Relations between entities the caller already has (`extract({text, entities})`): the entities, as
 * character spans, become the tags the relation model reads in place of the tagger's, so the model only
 * classifies the relations between them. Checked and fitted to the text's tokens here:
 * - a span boundary inside a token splits the token there (`Acme` in `Acme's`), so the entity is whole tokens;
 * - a span across the sentence splitter's boundary (`Dr. Smith` cut after `Dr.`) joins those sentences;
 * - the model's tags hold one entity per token, so overlapping spans are refused, naming both.
 */
import type { LabelSchema, Token } from '../data/corpus.js';
import { described, quote, UserError } from '../errors.js';
import { insideGrapheme, tokenizedSentences, type TokenizedSentence } from '../text/index.js';
import type { GivenEntity } from './types.js';

/** One input of `extract`, read: its text and, when given, its checked entities. */
export interface ReadInput {
  text: string;
  entities?: GivenEntity[];
  /** Where the entities are in the call (`entities`, `texts[2].entities`), for errors. */
  field: string;
}

/** An `extract` input (a string or `{text, entities?}`) at `at` (`''` for a single input, else `texts[i]`). */
export function readExtractInput(input: unknown, schema: LabelSchema, at: string): ReadInput {
  const field = at ? `${at}.entities` : 'entities';
  if (typeof input === 'string') return { text: input, field };
  if (input === null || typeof input !== 'object' || Array.isArray(input) || typeof (input as { text?: unknown }).text !== 'string')
    throw new UserError(`must be a string or an object {text, entities?}, got ${described(input)}`, at ? { field: at } : {});
  for (const key of Object.keys(input))
    if (key !== 'text' && key !== 'entities') throw new UserError(`unknown field ${quote(key)} (an input has text and optional entities)`, at ? { field: at } : {});
  const { text, entities } = input as { text: string; entities?: unknown };
  return entities === undefined ? { text, field } : { text, entities: checkGivenEntities(text, entities, schema, field), field };
}

/** A given entity in the sentences `alignGivenEntities` returns: its token span there and its input index. */
export interface PlacedEntity {
  /** Index into the caller's `entities`. */
  index: number;
  type: string;
  /** Token span within its sentence (end-exclusive). */
  start: number;
  end: number;
}

export interface AlignedText {
  sentences: TokenizedSentence[];
  /** Per sentence, its given entities in token order. */
  entities: PlacedEntity[][];
}

/**
 * An input checked as extraction will check it, tokenization and alignment included, without the model:
 * for a server that must refuse one request's bad entities before it joins a batch with others.
 */
export function checkExtractInput(input: unknown, schema: LabelSchema, tokenizer: 'ptb' | 'conll04', at: string): ReadInput {
  const read = readExtractInput(input, schema, at);
  if (read.entities) alignGivenEntities(read.text, tokenizedSentences(read.text, { style: tokenizer }), read.entities, read.field);
  return read;
}

/** Checks `entities` (at `field`, e.g. `entities` or `texts[2].entities`) against the text and the model's types. */
export function checkGivenEntities(text: string, entities: unknown, schema: LabelSchema, field: string): GivenEntity[] {
  if (!Array.isArray(entities)) throw new UserError(`must be an array of {start, end, type} (character offsets), got ${described(entities)}`, { field });
  const ids = new Map<string, number>();
  for (let k = 0; k < entities.length; k++) {
    const e = entities[k] as Partial<GivenEntity> | null;
    const at = `${field}[${k}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new UserError(`must be an object {start, end, type}, got ${described(e)}`, { field: at });
    for (const key of Object.keys(e))
      if (!['start', 'end', 'type', 'id'].includes(key)) throw new UserError(`unknown field ${quote(key)} (an entity has start, end, type and an optional id)`, { field: at });
    for (const key of ['start', 'end'] as const)
      if (!Number.isInteger(e[key])) throw new UserError(`must be a whole number (a character offset), got ${described(e[key])}`, { field: `${at}.${key}` });
    const [start, end] = [e.start!, e.end!];
    if (start < 0 || start >= text.length) throw new UserError(`${start} is outside the text (0 to ${text.length - 1})`, { field: `${at}.start` });
    if (end <= start || end > text.length) throw new UserError(`${end} must be after start (${start}) and at most the text's length (${text.length})`, { field: `${at}.end` });
    for (const key of ['start', 'end'] as const) {
      const o = e[key]!;
      if (o > 0 && o < text.length && insideGrapheme(text, o))
        throw new UserError(`${o} falls inside a character (a surrogate pair or a letter with its marks): offsets are UTF-16 code units between characters`, { field: `${at}.${key}` });
    }
    if (typeof e.type !== 'string' || !schema.entityTypes.includes(e.type))
      throw new UserError(`${described(e.type)} is not one of the model's entity types (${schema.entityTypes.join(', ')})`, { field: `${at}.type` });
    if (e.id !== undefined) {
      if (typeof e.id !== 'string' || e.id === '') throw new UserError(`must be a non-empty string, got ${described(e.id)}`, { field: `${at}.id` });
      const before = ids.get(e.id);
      if (before !== undefined) throw new UserError(`${quote(e.id)} is also the id of ${field}[${before}]`, { field: `${at}.id` });
      ids.set(e.id, k);
    }
  }
  return entities as GivenEntity[];
}

/** The text's sentences fitted to the (checked) entities, and where each entity is in them. */
export function alignGivenEntities(text: string, sentences: readonly TokenizedSentence[], entities: readonly GivenEntity[], field: string): AlignedText {
  const cuts = [...new Set(entities.flatMap((e) => [e.start, e.end]))].sort((a, b) => a - b);
  const split = sentences.map((s) => ({ start: s.start, end: s.end, tokens: s.tokens.flatMap((t) => splitToken(text, t, cuts)) }));
  // Document-level tokens (in text order) with their sentence, to find the tokens and sentences of an entity.
  const flat = split.flatMap((s, si) => s.tokens.map((t) => ({ t, si })));
  const spans = entities.map((e, index) => {
    const from = firstAtOrAfter(flat.length, (i) => flat[i].t.start >= e.start);
    let to = from;
    while (to < flat.length && flat[to].t.end <= e.end) to++;
    if (to === from) throw new UserError(`${quote(text.slice(e.start, e.end))} (${e.start}–${e.end}) holds no token: only spaces`, { field: `${field}[${index}]` });
    return { index, type: e.type, from, to, first: flat[from].si, last: flat[to - 1].si };
  });
  const ordered = [...spans].sort((a, b) => a.from - b.from || a.to - b.to);
  for (let k = 1; k < ordered.length; k++) {
    const [a, b] = [ordered[k - 1], ordered[k]];
    if (b.from < a.to) {
      const [x, y] = [entities[a.index], entities[b.index]];
      throw new UserError(
        `${quote(text.slice(y.start, y.end))} (${y.start}–${y.end}) overlaps ${field}[${a.index}], ${quote(text.slice(x.start, x.end))} (${x.start}–${x.end}): the model's tags hold one entity per token`,
        { field: `${field}[${b.index}]` },
      );
    }
  }
  // Sentences an entity spans become one: joinNext[s] joins sentence s with s + 1.
  const joinNext = new Array<boolean>(split.length).fill(false);
  for (const s of spans) for (let si = s.first; si < s.last; si++) joinNext[si] = true;
  const out: TokenizedSentence[] = [];
  const firstToken: number[] = []; // document-level index of each output sentence's first token
  let base = 0;
  split.forEach((s, si) => {
    if (si > 0 && joinNext[si - 1]) {
      const last = out[out.length - 1];
      last.tokens.push(...s.tokens);
      last.end = s.end;
    } else {
      out.push({ start: s.start, end: s.end, tokens: [...s.tokens] });
      firstToken.push(base);
    }
    base += s.tokens.length;
  });
  const placed: PlacedEntity[][] = out.map(() => []);
  for (const s of ordered) {
    const si = firstAtOrAfter(firstToken.length, (i) => firstToken[i] > s.from) - 1;
    placed[si].push({ index: s.index, type: s.type, start: s.from - firstToken[si], end: s.to - firstToken[si] });
  }
  return { sentences: out, entities: placed };
}

/** The first index in [0, n) where `ok` holds, `ok` being false then true along the indices (n if none). */
function firstAtOrAfter(n: number, ok: (i: number) => boolean): number {
  let [lo, hi] = [0, n];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `t` cut at each offset strictly inside it (`cuts` sorted; each piece's text is the text's own characters there). */
function splitToken(text: string, t: Token, cuts: readonly number[]): Token[] {
  const at: number[] = [];
  for (let k = firstAtOrAfter(cuts.length, (i) => cuts[i] > t.start); k < cuts.length && cuts[k] < t.end; k++) at.push(cuts[k]);
  if (at.length === 0) return [t];
  const bounds = [t.start, ...at, t.end];
  return bounds.slice(1).map((end, i) => ({ text: text.slice(bounds[i], end), start: bounds[i], end }));
}
