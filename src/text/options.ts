/**
 * The arguments of the public text functions (`tokenize`, `tokenizedSentences`, `splitSentences`, and
 * `textToDocument` through them) checked once per call, so that a typo (`newlines: 'lines'`, `style:
 * 'CoNLL04'`) is a one-line UserError naming the field rather than the default applied in silence. The
 * locale is checked where its segmenter is made (segmenters.ts).
 */
import { checkOptions, described, UserError } from '../errors.js';

export type TokenizerStyle = 'ptb' | 'conll04';
export type NewlineMode = 'line' | 'paragraph' | 'none';

export interface TokenizeOptions {
  /** `ptb` (default): `do n't`, `$ 3`. `conll04`: `don 't`, `$3` as in the CoNLL04 corpus. */
  style?: TokenizerStyle;
}

export interface SentenceOptions extends TokenizeOptions {
  /** `paragraph` (default): blank lines end sentences, single line breaks are spaces (wrapped text).
   *  `line`: every line break ends a sentence. `none`: line breaks are spaces. */
  newlines?: NewlineMode;
  /** Longest sentence in tokens (default DEFAULT_MAX_TOKENS, 100). */
  maxTokens?: number;
  /** BCP 47 locale for ICU (default `en`): one ICU has locale data for, or `und` for no language in particular (ICU's root rules). */
  locale?: string;
}

export const DEFAULT_MAX_TOKENS = 100;

const TOKENIZE_OPTIONS = ['style'];
const SENTENCE_OPTIONS = ['style', 'newlines', 'maxTokens', 'locale'];
const STYLES: readonly unknown[] = ['ptb', 'conll04'];
const NEWLINES: readonly unknown[] = ['paragraph', 'line', 'none'];

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new UserError(`must be a string, got ${described(text)}`, { field: 'text' });
}

function style(value: unknown): TokenizerStyle {
  if (value === undefined) return 'ptb';
  if (!STYLES.includes(value)) throw new UserError(`must be "ptb" or "conll04", got ${described(value)}`, { field: 'style' });
  return value as TokenizerStyle;
}

/**
 * `tokenize`'s arguments: a string, offsets `0 ≤ start ≤ end ≤ text.length` (slice would take a negative
 * one from the end and the tokens' offsets would be wrong), and its options; the style to use.
 */
export function tokenizeArgs(text: unknown, start: unknown, end: unknown, opts: unknown): TokenizerStyle {
  checkText(text);
  if (!(Number.isInteger(start) && (start as number) >= 0 && (start as number) <= text.length)) {
    // tokenize(text, {style}) reads the options as the start offset.
    const hint = start !== null && typeof start === 'object' ? '; options go fourth: tokenize(text, start, end, options)' : '';
    throw new UserError(`must be an integer offset from 0 to ${text.length} (the text's length), got ${described(start)}${hint}`, { field: 'start' });
  }
  if (!(Number.isInteger(end) && (end as number) >= (start as number) && (end as number) <= text.length))
    throw new UserError(`must be an integer offset from ${start} (start) to ${text.length} (the text's length), got ${described(end)}`, { field: 'end' });
  checkOptions(opts, 'options', TOKENIZE_OPTIONS);
  return style((opts as TokenizeOptions | null | undefined)?.style);
}

/** `tokenizedSentences`' arguments, with the defaults filled in (the locale still unchecked). */
export function sentenceArgs(text: unknown, opts: unknown): { style: TokenizerStyle; newlines: NewlineMode; maxTokens: number; locale: unknown } {
  checkText(text);
  checkOptions(opts, 'options', SENTENCE_OPTIONS);
  const o = (opts ?? {}) as SentenceOptions;
  // undefined is "not given"; null is refused like any other value not in the list (as Extractor.extract does).
  const newlines = o.newlines === undefined ? 'paragraph' : o.newlines;
  if (!NEWLINES.includes(newlines)) throw new UserError(`must be "paragraph", "line" or "none", got ${described(newlines)}`, { field: 'newlines' });
  const maxTokens = o.maxTokens === undefined ? DEFAULT_MAX_TOKENS : o.maxTokens;
  if (!(Number.isInteger(maxTokens) && maxTokens > 0)) throw new UserError(`must be a positive integer, got ${described(maxTokens)}`, { field: 'maxTokens' });
  return { style: style(o.style), newlines, maxTokens, locale: o.locale === undefined ? 'en' : o.locale };
}
