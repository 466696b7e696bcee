/**
 * Words of the scripts written without spaces between them (Thai, Lao, Khmer, Myanmar): a run of them is
 * one sentence-long "word" to a tokenizer that splits at spaces, so its words come from ICU's dictionary
 * word breaks (Intl.Segmenter, as extraction and training must cut them alike). Han and kana are simpler:
 * the tokenizer makes each character a token (tokenize.ts).
 */
import type { Steps } from './steps.js';

/** The scripts, as a regex character class body. */
export const UNSPACED = '\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}';

/** ICU picks the dictionary by script, not locale: one segmenter serves all four. */
const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/**
 * V8's Intl.Segmenter spends time proportional to the whole string on every segment (100,000 Thai
 * characters at once take 12 s), so a run is fed in windows; breaks this close to a window's end may lack
 * the context of the words after them, and the next window, starting at the last break kept, redoes them.
 */
const WINDOW = 1024;
const MARGIN = 64;

/** The `[start, end)` words of `run` (offsets into it), in steps (steps.ts): a window at a time. */
export function* unspacedWords(run: string): Steps<[number, number][]> {
  const out: [number, number][] = [];
  for (let p = 0; p < run.length; ) {
    const end = Math.min(run.length, p + WINDOW);
    const bounds = [...segmenter.segment(run.slice(p, end))].map((s) => p + s.index);
    if (end === run.length) bounds.push(end);
    else {
      while (bounds.length > 1 && bounds[bounds.length - 1] > end - MARGIN) bounds.pop();
      // A window without a break before its margin (no dictionary word in it): cut at the margin.
      if (bounds.length === 1) bounds.push(end - MARGIN);
    }
    for (let k = 1; k < bounds.length; k++) out.push([bounds[k - 1], bounds[k]]);
    p = bounds[bounds.length - 1];
    yield; // a window takes ICU about a millisecond
  }
  return out;
}
