/**
 * Relations between entities the caller already has (`extract({text, entities})`): the entities, as
 * character spans, become the tags the relation model reads in place of the tagger's, so the model only
 * classifies the relations between them. Checked and fitted to the text's tokens here:
 * - a span boundary inside a token splits the token there (`Acme` in `AcmeCorp`), so the entity is whole tokens;
 * - a cut of the sentence splitter inside a span (`Dr. Smith` cut after `Dr.`) joins the two sentences,
 *   or moves to the span's start where together they would pass the splitter's 100 tokens;
 * - the model's tags hold one entity per token, so overlapping spans are refused, naming both.
 */
import type { LabelSchema } from '../data/corpus.js';
import { described, quote, UserError } from '../errors.js';
import { fitSentencesToSpans } from '../data/fit-spans.js';
import { insideGrapheme, type TokenizedSentence } from '../text/index.js';
import type { GivenEntity } from './types.js';

/** One input of `extract`, read: its text and, when given, its checked entities. */
export interface ReadInput {
  text: string;
  entities?: GivenEntity[];
  /** Where the entities are in the call (`entities`, `texts[2].entities`), for errors. */
  field: string;
}

/** A string, or an object with a string `text` (its other fields checked by readExtractInput). */
const isInput = (x: unknown): x is string | { text: string } => typeof x === 'string' || (x !== null && typeof x === 'object' && !Array.isArray(x) && typeof (x as { text?: unknown }).text === 'string');

/** The one input of `extract(input)` (not an array), read; anything else is named as what extract takes. */
export function readSingleInput(input: unknown, schema: LabelSchema): ReadInput {
  if (!isInput(input)) throw new UserError(`extract expects a string, a {text, entities?} object or an array of them, got ${described(input)}`);
  return readExtractInput(input, schema, '');
}

/**
 * An `extract` input (a string or `{text, entities?}`) at `at` (`''` for a single input, else `texts[i]`),
 * checked as extraction will check it, without the model: so a server can refuse one request's bad entities
 * before it joins a batch with others. Entities that pass checkGivenEntities always fit the tokens
 * (alignGivenEntities), whatever the tokenizer, so the text is not tokenized here: that would double the
 * work of a long text, on the thread that must answer other requests.
 */
export function readExtractInput(input: unknown, schema: LabelSchema, at: string): ReadInput {
  const field = at ? `${at}.entities` : 'entities';
  if (!isInput(input)) throw new UserError(`must be a string or an object {text, entities?}, got ${described(input)}`, at ? { field: at } : {});
  if (typeof input === 'string') return { text: input, field };
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

interface AlignedText {
  sentences: TokenizedSentence[];
  /** Per sentence, its given entities in token order. */
  entities: PlacedEntity[][];
}

/** Characters an entity neither starts nor ends with (the tokenizer's spaces). */
const SPACE = /[\s\p{Cc}]/u;
/**
 * A character that is some token's own: not a space or control (skipped), not a format character (a word's
 * only between its letters: the pieces of a token cut at a span's edges leave them out, fit-spans.ts). A
 * span with none holds no token; a span with one holds the piece of the token it is in.
 */
const TOKEN_CHARACTER = /[^\s\p{Cc}\p{Cf}]/u;

/** An edge character the span must leave out, named so that an invisible one can be found. */
function spaceName(c: string): string {
  if (c === ' ') return 'a space';
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return c === '\uFEFF' ? `${code} (a zero-width no-break space, which only inside a word belongs to it)` : `${code} (a space or control character)`;
}

/**
 * Checks `entities` (at `field`, e.g. `entities` or `texts[2].entities`) against the text and the model's
 * types; returns copies (the caller's objects may change while the model runs).
 */
export function checkGivenEntities(text: string, entities: unknown, schema: LabelSchema, field: string): GivenEntity[] {
  if (!Array.isArray(entities)) throw new UserError(`must be an array of {start, end, type} (character offsets), got ${described(entities)}`, { field });
  if (entities.length > 0 && text.length === 0) throw new UserError('the text is empty: it has no characters to be entities', { field });
  const ids = new Map<string, number>();
  const out: GivenEntity[] = [];
  const secondOfFlag = flagHalves(text);
  for (let k = 0; k < entities.length; k++) {
    const e = entities[k] as Partial<GivenEntity> | null;
    const at = `${field}[${k}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new UserError(`must be an object {start, end, type}, got ${described(e)}`, { field: at });
    for (const key of Object.keys(e))
      if (!['start', 'end', 'type', 'id'].includes(key)) throw new UserError(`unknown field ${quote(key)} (an entity has start, end, type and an optional id)`, { field: at });
    const { type, id } = e;
    const start = wholeNumber(e.start, `${at}.start`);
    const end = wholeNumber(e.end, `${at}.end`);
    if (start < 0 || start >= text.length) throw new UserError(`${start} is outside the text (0 to ${text.length - 1})`, { field: `${at}.start` });
    if (end <= start || end > text.length) throw new UserError(`${end} must be after start (${start}) and at most the text's length (${text.length})`, { field: `${at}.end` });
    for (const [key, o] of [['start', start], ['end', end]] as const) {
      const inside = characterAt(text, o, secondOfFlag);
      if (inside) throw new UserError(`${o} falls inside ${inside}: offsets are UTF-16 code units between characters`, { field: `${at}.${key}` });
    }
    const span = text.slice(start, end);
    if (SPACE.test(span[0]) || SPACE.test(span[span.length - 1])) {
      const [side, edge] = SPACE.test(span[0]) ? ['starts', span[0]] : ['ends', span[span.length - 1]];
      throw new UserError(`${quote(span)} (${start}–${end}) ${span.trim() ? `${side} with ${spaceName(edge)}: a span holds the entity's characters only` : 'is only spaces'}`, { field: at });
    }
    if (typeof type !== 'string' || !schema.entityTypes.includes(type))
      throw new UserError(`${described(type)} is not one of the model's entity types (${schema.entityTypes.join(', ')})`, { field: `${at}.type` });
    if (id !== undefined) {
      if (typeof id !== 'string' || id === '') throw new UserError(`must be a non-empty string, got ${described(id)}`, { field: `${at}.id` });
      const before = ids.get(id);
      if (before !== undefined) throw new UserError(`${quote(id)} is also the id of ${field}[${before}]`, { field: `${at}.id` });
      ids.set(id, k);
    }
    out.push({ start, end, type, ...(id !== undefined && { id }) });
  }
  // The model's tags hold one entity per token: spans may touch, not overlap.
  const order = out.map((_, k) => k).sort((a, b) => out[a].start - out[b].start || out[a].end - out[b].end);
  for (let k = 1; k < order.length; k++) {
    const [x, y] = [out[order[k - 1]], out[order[k]]];
    if (y.start < x.end)
      throw new UserError(
        `${quote(text.slice(y.start, y.end))} (${y.start}–${y.end}) overlaps ${field}[${order[k - 1]}], ${quote(text.slice(x.start, x.end))} (${x.start}–${x.end}): the model's tags hold one entity per token`,
        { field: `${field}[${order[k]}]` },
      );
  }
  // Disjoint now, so reading every span costs time linear in the text (not so before the overlap check).
  for (const [k, { start, end }] of out.entries()) {
    const span = text.slice(start, end);
    if (!TOKEN_CHARACTER.test(span))
      throw new UserError(`${quote(span)} (${start}–${end}) holds no token: it has only format characters (and spaces), which belong to no word of their own`, { field: `${field}[${k}]` });
  }
  return out;
}

/** An entity's offset, checked to be a whole number (the error names `field`). */
function wholeNumber(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new UserError(`must be a whole number (a character offset), got ${described(v)}`, { field });
  return v;
}

/** Whether a regional indicator (a flag's half) starts at offset `i` of `text`. */
const regionalAt = (text: string, i: number) => text.charCodeAt(i) === 0xd83c && text.charCodeAt(i + 1) >= 0xdde6 && text.charCodeAt(i + 1) <= 0xddff;

/**
 * Whether the regional indicator at an offset is the second of a flag: they pair up from the start of their
 * run. Counted once for the whole text, at the first question: a run's length per entity would make many
 * entities in a long run of them cost time quadratic in the text.
 */
function flagHalves(text: string): (i: number) => boolean {
  let second: Uint8Array | undefined;
  return (i) => {
    if (!second) {
      second = new Uint8Array(text.length);
      for (let k = 0, run = 0; k < text.length; )
        if (regionalAt(text, k)) {
          second[k] = run++ % 2;
          k += 2;
        } else {
          run = 0;
          k++;
        }
    }
    return second[i] === 1;
  };
}

/** What offset `o` of `text` falls inside, if it is not between two characters (grapheme clusters). */
function characterAt(text: string, o: number, secondOfFlag: (i: number) => boolean): string | undefined {
  if (o <= 0 || o >= text.length) return undefined;
  const code = (i: number) => text.charCodeAt(i);
  if ((code(o) & 0xfc00) === 0xdc00 && (code(o - 1) & 0xfc00) === 0xd800) return 'a surrogate pair';
  // Regional indicators pair up from the start of their run (a flag is two): an odd count before `o` splits one.
  if (o + 1 < text.length && regionalAt(text, o) && secondOfFlag(o)) return 'a flag (two regional indicators)';
  return insideGrapheme(text, o) ? 'a character (a letter with its marks, or an emoji sequence)' : undefined;
}

/**
 * The text's sentences fitted to the (checked) entities (data/fit-spans.ts), and where each entity is in
 * them: whole tokens of one sentence, no sentence longer than the splitter's bound unless one entity is.
 */
export function alignGivenEntities(text: string, sentences: readonly TokenizedSentence[], entities: readonly GivenEntity[], field: string): AlignedText {
  const fitted = fitSentencesToSpans(text, sentences, entities);
  const placed: PlacedEntity[][] = fitted.sentences.map(() => []);
  fitted.placed.forEach((p, index) => {
    const e = entities[index];
    if (!p) throw new UserError(`${quote(text.slice(e.start, e.end))} (${e.start}–${e.end}) holds no token`, { field: `${field}[${index}]` });
    placed[p.sentence].push({ index, type: e.type, start: p.start, end: p.end });
  });
  for (const list of placed) list.sort((a, b) => a.start - b.start);
  return { sentences: markCuts(fitted.sentences, sentences), entities: placed };
}

/** `fitted` with a sentence that ends where none of the splitter's `sentences` ended marked `cut`. */
function markCuts(fitted: TokenizedSentence[], sentences: readonly TokenizedSentence[]): TokenizedSentence[] {
  const ends = new Set(sentences.filter((s) => !s.cut).map((s) => s.end));
  return fitted.map((s) => (ends.has(s.end) ? s : { ...s, cut: true }));
}
