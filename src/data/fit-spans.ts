/**
 * A text's sentences fitted to character spans that must each be whole tokens of one sentence: given
 * entities (extract/given-entities.ts) and a brat collection's annotations read as raw text
 * (data/formats/brat.ts).
 * - a span boundary inside a token splits the token there (`Acme` in `AcmeCorp`);
 * - a cut of the sentence splitter inside a span (`Dr. Smith` cut after `Dr.`) joins the two sentences,
 *   or moves to the span's start where together they would pass `maxTokens`.
 * Overlapping spans are allowed (no boundary falls inside any of them).
 */
import type { Token, TokenizedSentence } from '../text/index.js';
import { firstIndex } from './search.js';

/**
 * Most tokens of a sentence the splitter made or the spans joined, as the splitter bounds them
 * (text/sentences.ts): the relation model runs over every pair of a sentence's entities, so a joined
 * sentence must not grow without bound.
 */
const MAX_SENTENCE_TOKENS = 100;

interface CharSpan {
  start: number;
  end: number;
}

/** Where a span is in the fitted sentences: its sentence and its token span there (end-exclusive). */
interface PlacedSpan {
  sentence: number;
  start: number;
  end: number;
}

interface FittedSentences {
  sentences: TokenizedSentence[];
  /** Per input span, in input order; undefined for a span that holds no token (only spaces). */
  placed: (PlacedSpan | undefined)[];
}

/**
 * `sentences` (the splitter's, in text order) re-cut so that no sentence boundary falls inside a span and
 * every span is whole tokens; no sentence is longer than `maxTokens` unless one span is (a span that long
 * is a sentence of its own).
 */
export function fitSentencesToSpans(text: string, sentences: readonly TokenizedSentence[], spans: readonly CharSpan[], maxTokens = MAX_SENTENCE_TOKENS): FittedSentences {
  const cuts = [...new Set(spans.flatMap((e) => [e.start, e.end]))].sort((a, b) => a - b);
  // Each sentence's tokens split at the spans' edges, and all of them in text order.
  const split = sentences.map((s) => s.tokens.flatMap((t) => splitToken(text, t, cuts)));
  const tokens = split.flat();
  const ranges = spans.map((e) => {
    const from = firstIndex(tokens.length, (i) => tokens[i].start >= e.start);
    let to = from;
    while (to < tokens.length && tokens[to].end <= e.end) to++;
    return to === from ? undefined : { from, to };
  });
  // inside[b]: token boundary b (before token b) falls inside a span; coveringEnd[b]: the farthest end of one.
  const covering = new Int32Array(tokens.length + 1).fill(-1);
  for (const [k, r] of ranges.entries()) if (r) for (let b = r.from + 1; b < r.to; b++) if (covering[b] < 0 || ranges[covering[b]]!.to < r.to) covering[b] = k;
  const inside = (b: number) => covering[b] >= 0;
  const starts: number[] = [];
  let at = 0;
  for (const own of split) {
    if (at > 0 && at < tokens.length) starts.push(at);
    at += own.length;
  }
  // The splitter's boundaries; one inside a span joins its two sentences where they fit in `maxTokens`
  // together, else moves to the span's start (or end), so the span stays whole and with the sentence it
  // begins (`met Acme. | Corp hired …` → `met | Acme. Corp hired …`).
  const splitter: number[] = [];
  starts.forEach((b, i) => {
    if (!inside(b)) return void splitter.push(b);
    const [prev, next] = [splitter[splitter.length - 1] ?? 0, starts[i + 1] ?? tokens.length];
    if (next - prev <= maxTokens) return;
    const { from, to } = ranges[covering[b]]!;
    if (from > prev && !inside(from)) splitter.push(from);
    else if (to < next && !inside(to)) splitter.push(to);
  });
  const bounds = [0];
  for (const b of [...splitter, tokens.length]) {
    while (b - bounds[bounds.length - 1] > maxTokens) bounds.push(cutWithin(bounds[bounds.length - 1], b, maxTokens, inside));
    if (b > bounds[bounds.length - 1]) bounds.push(b);
  }
  const out: TokenizedSentence[] = bounds.slice(1).map((end, i) => {
    const own = tokens.slice(bounds[i], end);
    return { start: own[0].start, end: own[own.length - 1].end, tokens: own };
  });
  const placed = ranges.map((r) => {
    if (!r) return undefined;
    const sentence = firstIndex(bounds.length, (i) => bounds[i] > r.from) - 1;
    return { sentence, start: r.from - bounds[sentence], end: r.to - bounds[sentence] };
  });
  return { sentences: out, placed };
}

/** A letter, mark or digit just before / at an offset (a whole code point, also outside the BMP). */
const WORD_BEFORE = /[\p{L}\p{M}\p{N}]$/u;
const WORD_AT = /^[\p{L}\p{M}\p{N}]/u;

/**
 * The offsets where `span`'s edges fall inside one of `tokens` (the tokenizer's, in text order) between two
 * letters, marks or digits: a cut that splits a word (`Pari|s`), which the tokenizer never makes, so a model
 * trained on it meets tokens at extraction that it never saw. A cut beside punctuation inside a token is not
 * counted (`York|-based`): it parts a compound, not a word.
 */
export function edgesInsideWords(text: string, tokens: readonly Token[], span: CharSpan): { at: number; token: Token }[] {
  const out: { at: number; token: Token }[] = [];
  for (const at of new Set([span.start, span.end])) {
    const token = tokens[firstIndex(tokens.length, (i) => tokens[i].end > at)];
    if (token && token.start < at && WORD_BEFORE.test(text.slice(Math.max(token.start, at - 2), at)) && WORD_AT.test(text.slice(at, at + 2))) out.push({ at, token });
  }
  return out;
}

/** A boundary after `from` and before `to` outside every span: the last within `max`, else the first after. */
function cutWithin(from: number, to: number, max: number, inside: (b: number) => boolean): number {
  for (let b = from + max; b > from; b--) if (!inside(b)) return b;
  for (let b = from + max + 1; b < to; b++) if (!inside(b)) return b;
  return to;
}

/**
 * `t` cut at each offset strictly inside it (`cuts` sorted; each piece's text is the text's own characters
 * there). A format character (soft hyphen, U+FEFF…) belongs to a word only between its characters
 * (text/tokenize.ts), so a piece leaves one at its edges out, as it does spaces (JavaScript's `\s`, and so
 * the token readers' checks, count U+FEFF as one).
 */
const EDGE = /[\s\p{Cf}]/u;

function splitToken(text: string, t: Token, cuts: readonly number[]): Token[] {
  const at: number[] = [];
  for (let k = firstIndex(cuts.length, (i) => cuts[i] > t.start); k < cuts.length && cuts[k] < t.end; k++) at.push(cuts[k]);
  if (at.length === 0) return [t];
  const bounds = [t.start, ...at, t.end];
  const pieces: Token[] = [];
  for (let i = 1; i < bounds.length; i++) {
    let [start, end] = [bounds[i - 1], bounds[i]];
    while (start < end && EDGE.test(text[start])) start++;
    while (end > start && EDGE.test(text[end - 1])) end--;
    if (end > start) pieces.push({ text: text.slice(start, end), start, end });
  }
  return pieces;
}
