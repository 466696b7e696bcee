/**
 * Sentence splitting: ICU's sentence segmenter (Intl.Segmenter, built into Node), then
 * - line breaks: ICU always breaks at one; `newlines` decides which are hard boundaries and hides the rest;
 * - abbreviations: breaks after `Mr.`, `U.S.`, `Dec. 13`… are undone (see abbreviations.ts);
 * - length: a sentence longer than `maxTokens` is cut into chunks of at most `maxTokens` tokens (after a
 *   comma or semicolon where one is near the end, else not inside a run of capitalized words), so text
 *   without punctuation still gives bounded sentences; such a chunk is marked `cut`.
 * Sentences are groups of tokens, so a boundary never cuts a token.
 */
import type { Token } from './token.js';
import { continuesAfter } from './abbreviations.js';
import { sentenceArgs, type SentenceOptions } from './options.js';
import { segmenterCache, SEGMENTERS_KEPT } from './segmenters.js';
import { finish, inSlices, STEP_ITEMS, type SliceOptions, type Steps } from './steps.js';
import { tokenizeSteps } from './tokenize.js';


export interface TokenizedSentence {
  start: number;
  end: number;
  tokens: Token[];
  /** Cut at `maxTokens`: the sentence goes on in the next one (only set when so). */
  cut?: true;
}

const BREAK = '\\r\\n|[\\n\\r\\v\\f\\u0085\\u2028\\u2029]';
const HARD = {
  line: new RegExp(BREAK, 'gu'),
  paragraph: new RegExp(`(?:${BREAK})[^\\S\\n\\r\\v\\f\\u0085\\u2028\\u2029]*(?:${BREAK})|\\u2029`, 'gu'),
  none: null,
};
const ANY_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/gu;
const TERMINATOR = /[\p{Sentence_Terminal}\u2024\uFE52\uFF0E]/u;

/** [start, end) regions between hard boundaries, one at a time (a text of blank lines has many). */
function* blocks(text: string, mode: keyof typeof HARD): Generator<[number, number], void, void> {
  const re = HARD[mode];
  if (!re) return yield [0, text.length];
  let from = 0;
  for (const m of text.matchAll(re)) {
    yield [from, m.index];
    from = m.index + m[0].length;
  }
  yield [from, text.length];
}

const WINDOW = 2048;
/** Breaks this close to a window's end may lack the context ICU needs; the next window redoes them. */
const MARGIN = 256;

/**
 * ICU sentence breaks strictly inside [a, b). V8's Intl.Segmenter spends time proportional to the whole
 * string on every segment, so it is fed overlapping windows. Soft line breaks become spaces first
 * (same length, so offsets hold) so that ICU does not break there.
 */
function* icuBreaks(segmenter: Intl.Segmenter, text: string, a: number, b: number): Steps<number[]> {
  const out: number[] = [];
  if (!TERMINATOR.test(text.slice(a, b))) return out; // ICU breaks only after one (UAX 29, SB9–SB11)
  for (let p = a; p < b; ) {
    const end = Math.min(b, p + WINDOW);
    const found: number[] = [];
    for (const seg of segmenter.segment(text.slice(p, end).replace(ANY_BREAK, ' ')))
      if (seg.index > 0) found.push(p + seg.index);
    if (end === b) return out.concat(found);
    const safe = found.filter((x) => x <= end - MARGIN);
    out.push(...safe);
    p = safe.length ? safe[safe.length - 1] : end - MARGIN;
    yield; // a window of many short sentences takes ICU a millisecond or more
  }
  return out;
}

const CLAUSE_END = /^(?:[,;:_]|--)$/u;
const capitalized = (t: Token) => /^\p{Lu}/u.test(t.text);
/**
 * Where a chunk of a too-long sentence starting at token `i` ends: after the last clause punctuation in its
 * second half not followed by a capitalized word (which may continue a name: `Denison, Tex.`), else at the
 * last boundary of its second half not between two capitalized words (inside a name: `President Abraham
 * Lincoln`), else after `max` tokens.
 */
function cutAt(tokens: Token[], i: number, max: number): number {
  const half = i + Math.ceil(max / 2);
  for (let k = i + max - 1; k >= half; k--) if (CLAUSE_END.test(tokens[k - 1].text) && !capitalized(tokens[k])) return k;
  for (let k = i + max; k >= half; k--) if (!(capitalized(tokens[k - 1]) && capitalized(tokens[k]))) return k;
  return i + max;
}

const sentenceSegmenter = segmenterCache(SEGMENTERS_KEPT);

export function tokenizedSentences(text: string, opts: SentenceOptions = {}): TokenizedSentence[] {
  return finish(tokenizedSentencesSteps(text, opts));
}

/**
 * `tokenizedSentences` in time slices (steps.ts), the event loop getting a turn between them: for a server,
 * which must stay responsive while it splits a long text (a megabyte takes from 0.1 s to a few seconds).
 */
export function tokenizedSentencesInSlices(text: string, opts: SentenceOptions = {}, slices: SliceOptions = {}): Promise<TokenizedSentence[]> {
  return inSlices(tokenizedSentencesSteps(text, opts), slices);
}

/** `tokenizedSentences` in steps (steps.ts). */
function* tokenizedSentencesSteps(text: string, opts: SentenceOptions = {}): Steps<TokenizedSentence[]> {
  const { style, newlines, maxTokens: max, locale } = sentenceArgs(text, opts);
  const segmenter = sentenceSegmenter(locale);
  const out: TokenizedSentence[] = [];
  /** Sentences of at most `max` tokens from `tokens[i…]`, those of about `STEP_ITEMS` tokens; where it stopped. */
  const emit = (tokens: Token[], i = 0) => {
    for (const until = i + STEP_ITEMS; i < tokens.length && i < until; ) {
      const end = i + max >= tokens.length ? tokens.length : cutAt(tokens, i, max);
      const chunk = tokens.slice(i, end);
      out.push({ start: chunk[0].start, end: chunk[chunk.length - 1].end, tokens: chunk, ...(end < tokens.length && { cut: true }) });
      i = end;
    }
    return i;
  };
  // Work since the last yield: tokens, and blocks (a text of blank lines is many).
  let step = 0;
  for (const [a, b] of blocks(text, newlines)) {
    if (++step >= STEP_ITEMS) {
      step = 0;
      yield;
    }
    if (a === b) continue; // no tokens (saves the steps below)
    const tokens = yield* tokenizeSteps(text, a, b, style);
    if (tokens.length === 0) continue;
    const breaks = yield* icuBreaks(segmenter, text, a, b);
    let current: Token[] = [];
    let bi = 0;
    for (const t of tokens) {
      if (++step >= STEP_ITEMS) {
        step = 0;
        yield;
      }
      const last = current[current.length - 1];
      // A break inside the last token (ICU's after the `?` of a URL) is no boundary, of it or of `t`.
      let crossed = false;
      for (; bi < breaks.length && breaks[bi] <= t.start; bi++) crossed ||= !last || breaks[bi] >= last.end;
      if (crossed && last && !continuesAfter(last.text, t.text, current[current.length - 2]?.text, current[current.length - 3]?.text, current[current.length - 4]?.text)) {
        for (let i = emit(current); i < current.length; i = emit(current, i)) yield;
        current = [];
      }
      current.push(t);
    }
    // A sentence without a break may be the whole text: cut in steps.
    for (let i = emit(current); i < current.length; i = emit(current, i)) yield;
  }
  return out;
}

/** Sentence extents `[start, end)` in `text`: first token's start to last token's end. */
export function splitSentences(text: string, opts: SentenceOptions = {}): { start: number; end: number }[] {
  return tokenizedSentences(text, opts).map(({ start, end }) => ({ start, end }));
}
