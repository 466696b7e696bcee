/**
 * The tokenizer and the sentence splitter take time linear in the text: a text made of a short unit
 * repeated 4n times costs at most RATIO times the same unit repeated n times. A regex that scans on to the
 * end of a run from every position inside it (review 12b: URL_TAIL on `http://x....a`, REPORTER on
 * `AB.AB.…`) costs 16 times as much. Shared by test/text/linear.test.ts and `npm run bench:fuzz -- --only linear`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { tokenize, tokenizedSentences } from '../../src/text/index.js';
import { timed } from '../cpu-clock.js';

setFlagsFromString('--expose-gc');
/** A full collection, between timings. */
const gc = runInNewContext('gc') as () => void;

/**
 * What units are made of: letters, digits, punctuation (`.` `:` `/` among it), spaces and line breaks,
 * combining marks, format characters (soft hyphen, zero-width space and joiner, BOM, bidi control, the
 * Prepend U+0600), emoji, CJK, and the starts of what the tokenizer keeps whole (URLs, e-mail addresses,
 * abbreviations, acronyms, reporters, references, HTML references, contractions).
 */
export const PIECES = [
  'a', 'B', 'x', 'n', 't', 'h', 'p', 'w', 'd', 'é', 'א', 'Ж', '1', '2', '.', ',', ';', ':', '!', '?', "'", '’', '"', '”',
  '(', ')', '[', ']', '}', '>', '-', '_', '/', '@', '&', '%', '$', '#', '+', '*', ' ', '\n', '\u2029', '\u0301',
  '\u00AD', '\u200B', '\u200D', '\uFEFF', '\u202E', '\u0600', '😀', '\u{1F1E6}', '中', 'http://', 'www.', 'amp;',
  'Inc.', 'U.S.', 'No.', 'Fig.', 'AB.', 'F.3d', "n't", 'a@b',
];

/** The review's cases, each `[prefix, unit, suffix]`: quadratic before the fix (16k characters: 0.1–0.6 s). */
export const REVIEW_CASES: [string, string, string][] = [
  ['http://x', '.', 'a'],
  ['http://', ':', 'w'],
  ['%', 'U.S.AאA', ''],
  ['\u0301', 'www.A', ''],
  ['', 'AB.', ''],
  ['', 'No.', ''],
  ['', 'Inc.', ''],
  ['', 'U.S.B', ''],
  ['a', '\u00AD', "bn't"],
];

/** How much longer the text of 4n units may take than that of n (a quadratic cost: 16 times). */
export const RATIO = 8;
/** Timer noise allowed on top, ms. */
const SLACK_MS = 3;

/**
 * Time of `f()` in ms: the lesser of wall and CPU time (../cpu-clock.ts). Wall time alone counts the
 * moments other processes held the CPU, which stretch a longer run more than a shorter one (beside 4 busy
 * processes on 2 cores, linear texts 4 times as long measured 20–50 times the time). CPU time counts the
 * collector's helper threads, whose work grows faster than the heap from a few thousand tokens to tens of
 * thousands (6.5× for 4× the text), unless the process runs with --single-threaded-gc, as the checks of
 * test/text/linear.test.ts do: then it is this thread's time alone.
 */
function ms(f: () => unknown): number {
  gc(); // each run starts with no garbage of the runs before it to collect
  return timed(f).ms;
}

/**
 * The least time of `runs` runs of `small()` and of `large()`, taken in turns, so that a busy moment
 * (the collector, the machine) weighs on both alike.
 */
function fastest(small: () => unknown, large: () => unknown, runs: number): [number, number] {
  let [a, b] = [Infinity, Infinity];
  for (let i = 0; i < runs; i++) {
    a = Math.min(a, ms(small));
    b = Math.min(b, ms(large));
  }
  return [a, b];
}

export interface Growth {
  what: 'tokenize' | 'tokenizedSentences';
  style: 'ptb' | 'conll04';
  /** Characters of the shorter text. */
  chars: number;
  /** ms for n units and for 4n. */
  small: number;
  large: number;
}

const linear = (g: Growth) => g.large <= RATIO * g.small + SLACK_MS;

/**
 * The tokenizer's and the splitter's times on `prefix + unit×n + suffix` and on 4n units, n making the
 * shorter text about `chars` characters.
 */
export function growth(prefix: string, unit: string, suffix: string, style: 'ptb' | 'conll04', chars: number): Growth[] {
  const n = Math.max(1, Math.round(chars / unit.length));
  const [short, long] = [n, 4 * n].map((k) => prefix + unit.repeat(k) + suffix);
  const fns = {
    tokenize: (s: string) => tokenize(s, 0, s.length, { style }),
    tokenizedSentences: (s: string) => tokenizedSentences(s, { style }),
  };
  return (Object.keys(fns) as (keyof typeof fns)[]).map((what) => {
    const f = fns[what];
    const time = (runs: number): Growth => {
      const [small, large] = fastest(() => f(short), () => f(long), runs);
      return { what, style, chars: short.length, small, large };
    };
    // Over the bound: timed again twice, and it counts only if it stays over (a quadratic case always does).
    let g = time(3);
    for (let retry = 0; retry < 2 && !linear(g); retry++) g = time(5);
    return g;
  });
}

/** A failure's message: what was timed and how it grew. */
export function describeGrowth(prefix: string, unit: string, suffix: string, g: Growth): string {
  return (
    `${g.what}(${JSON.stringify(prefix)} + ${JSON.stringify(unit)}×n + ${JSON.stringify(suffix)}, ${g.style}): ` +
    `${g.small.toFixed(1)} ms for ${g.chars} characters, ${g.large.toFixed(1)} ms for 4 times as many (at most ${RATIO}× + ${SLACK_MS} ms allowed)`
  );
}

const piece = fc.constantFrom(...PIECES);

/** Cases: a unit of 1–5 pieces, sometimes a piece before and after it, and a tokenizer style. */
export const unitCase = fc.tuple(
  fc.option(piece, { nil: '' }),
  fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join('')),
  fc.option(piece, { nil: '' }),
  fc.constantFrom('ptb' as const, 'conll04' as const),
);

/**
 * The property over `unitCase` (the review's cases first), texts of about `chars` characters and 4 times
 * as many; `seen` hears every timing (for the bench's report).
 */
export function linearityProperty(chars: number, seen?: (prefix: string, unit: string, suffix: string, g: Growth) => void) {
  return fc.property(unitCase, ([prefix, unit, suffix, style]) => {
    for (const g of growth(prefix, unit, suffix, style, chars)) {
      seen?.(prefix, unit, suffix, g);
      if (!linear(g)) throw new Error(describeGrowth(prefix, unit, suffix, g));
    }
  });
}

/** The review's cases as fast-check examples, in both styles. */
export const reviewExamples = REVIEW_CASES.flatMap(([p, u, s]) => [[[p, u, s, 'ptb']], [[p, u, s, 'conll04']]] as [[string, string, string, 'ptb' | 'conll04']][]);
