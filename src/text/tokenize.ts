/**
 * PTB-like tokenizer with character offsets (UTF-16 code units into the original text).
 *
 * A small regex scanner rather than an npm tokenizer: the common ones (wink, natural, compromise) drop
 * offsets or normalise the text, and offsets are what ties predictions back to the input.
 * Conventions, as in the training corpora: punctuation split off; contractions split (`do n't`,
 * `John 's`; style `conll04` gives CoNLL04's `don 't` and keeps `$` on amounts); known abbreviations
 * (`Inc.`, `Mr.`), dotted acronyms (`U.S.`, `U.S`), numbers (`150,000`, `3.5`, `.38`), hyphenated words
 * (`co-founder`, also with acronyms and abbreviations: `U.S.-led`, `D-N.Y.`, `R-Calif.`), `AT&T`, URLs and
 * e-mail addresses stay whole. An HTML character reference is a letter of its word (`Aguil&oacute;`) or a
 * token (`&amp;`). Han/kana characters are one token each (no spaces to split on); a run of Thai, Lao, Khmer
 * or Myanmar is cut into words by ICU's dictionary (unspaced.ts).
 * Control characters count as whitespace. Format characters (soft hyphen, zero-width space and joiners,
 * word joiner, bidi marks and controls: text from web pages and PDFs has them) never start a token: inside
 * a word they are part of it (`Bos\u00ADton` is one token), elsewhere they are skipped like whitespace,
 * except the joiners, which stay with what precedes them, as in a grapheme cluster. A token boundary
 * never falls inside a grapheme cluster (emoji sequences, combining marks), except right after
 * whitespace that the cluster starts with.
 */
import type { Token } from './token.js';
import { ABBREVIATION_SOURCE, REFERENCE_SOURCE } from './abbreviations.js';
import { insideGrapheme } from './graphemes.js';
import { tokenizeArgs, type TokenizeOptions, type TokenizerStyle } from './options.js';
import { finish, STEP_ITEMS, type Steps } from './steps.js';
import { UNSPACED, unspacedWords } from './unspaced.js';

/**
 * Format characters, but those that prefix a number (U+0600 ARABIC NUMBER SIGN…: Prepend, part of the
 * grapheme cluster that follows them). U+FEFF is one too, though JavaScript's `\s` counts it as a space:
 * inside a word it is the zero-width no-break space (a word joiner), so it joins; elsewhere (a byte order
 * mark) it is skipped as whitespace either way.
 */
const FORMAT = '(?![\\u0600-\\u0605\\u06DD\\u070F\\u0890\\u0891\\u08E2\\u{110BD}\\u{110CD}])\\p{Cf}';
const WS = new RegExp(`(?:[\\s\\p{Cc}]|${FORMAT})*`, 'uy');
/** Joiners (ZWNJ, ZWJ) and emoji tags extend the grapheme cluster before them: they stay with its token. */
const JOINERS = /[\u200C\u200D\u{E0020}-\u{E007F}]*/uy;
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}';
/** A letter, mark or digit of a word: not Han or kana, which are one token each, nor of the scripts of UNSPACED. */
const WORD_CHAR = `(?![${CJK}${UNSPACED}])[\\p{L}\\p{M}\\p{N}]`;
/** HTML references to accented Latin letters (`Aguil&oacute;`, `&Eacute;cole`): letters of their word. */
const LETTER_REF = '&(?:[A-Za-z](?:acute|grave|circ|uml|tilde|ring|cedil|slash|caron|macr|breve|ogon|dot|strok)|szlig|[AaOo][Ee]lig|ETH|eth|THORN|thorn);';
/** Other HTML references (`&amp;`, `&quot;`, `&#8217;`): one token each, not `&` `amp` `;`. */
const REF = '&(?:[a-z][A-Za-z\\d]{1,31}|#\\d{1,7}|#[xX][\\da-fA-F]{1,6});';
/**
 * Letters and digits, and format characters between them; inside a number `.,:` (`3.5`, `1,000`, `4:45`);
 * between capitals `&` (`AT&T`, `R&amp;D`).
 */
const ALNUM = `(?:${WORD_CHAR}|(?:${FORMAT})+(?=${WORD_CHAR})|${LETTER_REF}|(?<=\\p{N})[.,:](?=\\p{N})|(?<=\\p{Lu})&(?:amp;)?(?=\\p{Lu}))+`;
/** Dotted acronyms, `U.S.`, `p.m.`, and without their last period (`U.S officials`, `J.R.R`: longest first). */
const ACRONYM = '(?:(?:\\p{L}\\.)+\\p{L}(?![\\p{L}\\p{M}\\p{N}.])|(?:\\p{L}\\.){2,})';
const ABBREVIATION = `(?:${ABBREVIATION_SOURCE}(?![\\p{L}\\p{N}])|${REFERENCE_SOURCE})`;
/**
 * A law reporter and its series, cited with the volume before and the page after (`123 F.3d 456`, `N.E.2d`,
 * `L.Ed.2d`, `U.S.P.Q.2d`). At most 4 dotted parts: unbounded, every token start in a run like `AB.AB.AB.…`
 * scanned the whole run for the digit (quadratic time).
 */
const REPORTER = '(?:\\p{Lu}\\p{L}{0,3}\\.){1,4}\\d(?:d|th)(?![\\p{L}\\p{N}])';
/** A number's leading decimal point, `.38`, not after a word or number (`x.5`, `1.2.3` are other tokens). */
const DECIMAL_POINT = '(?:(?<![\\p{L}\\p{M}\\p{N}.])\\.(?=\\p{N}))';
/** A URL's characters after its scheme; format characters inside it (a zero-width space to break a line at) are part of it. */
const URL_BODY = `[^\\s\\p{Cc}\\p{Cf}]+(?:(?:${FORMAT})+[^\\s\\p{Cc}\\p{Cf}]+)*`;
/** Flags (regional-indicator pairs) and emoji with modifiers, tags and ZWJ sequences: one token each. */
const EMOJI =
  '\\p{RI}\\p{RI}|\\p{ExtPict}[\\p{M}\\p{EMod}\\u{E0020}-\\u{E007F}]*(?:\\u200D\\p{ExtPict}[\\p{M}\\p{EMod}\\u{E0020}-\\u{E007F}]*)*';
// A format character before a hyphen is the word's (`co\u00AD-founder`, `U.S.\u00AD-led`), as after one.
const TOKEN = new RegExp(
  [
    `((?:https?|ftp):\\/\\/${URL_BODY}|www\\.${URL_BODY})`,
    // ASCII local part capped at 64 (RFC 5321): a long run without '@' cannot make scanning quadratic.
    /([\w.%+-]{1,64}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)/u.source,
    `(${REPORTER}|${ACRONYM}(?:(?:${FORMAT})*-(?:${ACRONYM}|${ABBREVIATION}|${ALNUM}))*|${ABBREVIATION}|(?!I\\.)\\p{Lu}\\.(?![\\p{L}\\p{N}]))`,
    /(['’](?:[tTsSdDmM]|[rRvV][eE]|[lL][lL])(?![\p{L}\p{M}\p{N}]))/u.source,
    `(${DECIMAL_POINT}?${ALNUM}(?:(?:${FORMAT})*-(?:${ACRONYM}|${ABBREVIATION}|${ALNUM})|['’]${ALNUM})*)`,
    `((?:[${UNSPACED}]\\p{M}*)+)`,
    `(${EMOJI}|[${CJK}]\\p{M}*|${REF}|\\.{2,}|-{2,}|[^]\\p{M}*)`,
  ].join('|'),
  'uy',
);
/**
 * Punctuation ending a URL token, which is the sentence's, not the URL's. Applied unanchored, so a match may
 * start only where a run of it starts: else every start inside a long run scanned to its end (quadratic).
 */
const URL_TAIL = /(?<![.,;:!?'"’”)\]}>\p{Cf}])[.,;:!?'"’”)\]}>\p{Cf}]+$/u;
/** Format characters ending a word, from the start of their run only (as URL_TAIL). */
const TRAILING_FORMAT = new RegExp(`(?<!${FORMAT})(?:${FORMAT})+$`, 'u');
const PTB_CONTRACTION = /^(.+?)(n['’]t|['’](?:s|d|m|re|ve|ll))$/iu;
const CONLL_CONTRACTION = /^(.+?)(['’](?:t|s|d|m|re|ve|ll))$/iu;

/** Tokens of `text[start, end)`, offsets into the whole `text`. */
export function tokenize(text: string, start = 0, end = text?.length, opts: TokenizeOptions = {}): Token[] {
  return finish(tokenizeSteps(text, start, end, tokenizeArgs(text, start, end, opts)));
}

/**
 * `tokenize` in steps (steps.ts): it yields every STEP_ITEMS tokens, for a caller that runs it in time
 * slices. Its arguments are the caller's to check (options.ts): the sentence splitter checks its own once.
 */
export function* tokenizeSteps(text: string, start: number, end: number, style: TokenizerStyle): Steps<Token[]> {
  const s = text.slice(start, end);
  const contraction = style === 'conll04' ? CONLL_CONTRACTION : PTB_CONTRACTION;
  const out: Token[] = [];
  const push = (a: number, b: number) => out.push({ text: s.slice(a, b), start: start + a, end: start + b });
  let pos = 0;
  let step = 0;
  while (true) {
    WS.lastIndex = pos;
    pos += WS.exec(s)![0].length;
    if (pos >= s.length) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(s)!;
    let len = m[0].length;
    if (m[1] !== undefined) len -= m[1].match(URL_TAIL)?.[0].length ?? 0;
    JOINERS.lastIndex = pos + len;
    len += JOINERS.exec(s)![0].length;
    const split = m[5] !== undefined ? contraction.exec(m[5]) : null;
    // A format character before the split-off clitic (`do\uFEFFn't`) is between two tokens now: neither's.
    if (split) push(pos, pos + split[1].replace(TRAILING_FORMAT, '').length);
    if (m[6] !== undefined) for (const [a, b] of yield* unspacedWords(m[6])) push(pos + a, b < m[6].length ? pos + b : pos + len);
    else push(split ? pos + split[1].length : pos, pos + len);
    pos += len;
    if (++step === STEP_ITEMS) {
      step = 0;
      yield;
    }
  }
  return yield* joinGraphemes(style === 'conll04' ? joinDollar(out) : out, s, start);
}

/**
 * Merges adjacent tokens whose junction lies inside a grapheme cluster (each test may ask ICU: a few
 * microseconds, so this yields as the tokenizer does).
 */
function* joinGraphemes(tokens: Token[], s: string, base: number): Steps<Token[]> {
  const out: Token[] = [];
  let step = 0;
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (prev && prev.end === t.start && insideGrapheme(s, t.start - base))
      out[out.length - 1] = { text: s.slice(prev.start - base, t.end - base), start: prev.start, end: t.end };
    else out.push(t);
    if (++step === STEP_ITEMS) {
      step = 0;
      yield;
    }
  }
  return out;
}

/** CoNLL04 writes amounts as one token (`$3.2`). */
function joinDollar(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (prev?.text === '$' && prev.end === t.start && /^\p{N}/u.test(t.text))
      out[out.length - 1] = { text: prev.text + t.text, start: prev.start, end: t.end };
    else out.push(t);
  }
  return out;
}
