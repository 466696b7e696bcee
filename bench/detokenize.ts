/**
 * Gold tokens → the raw text a user would have, every gold token's character span kept (for benches that
 * score raw-text processing against tokenized corpora): PTB spacing, split quotes `` ` ` ``/`' '` → `"`,
 * `-LRB-`-style brackets → their characters, AP's `-LCB-` → ½, `4 : 45` → `4:45`, `1 , 200` → `1,200`,
 * `O 'Brien` → `O'Brien`.
 */

interface Unit {
  text: string;
  /** Gold tokens [from, to) this unit renders (2 for a `` ` ` `` or `' '` pair). */
  from: number;
  to: number;
  /** No space before it / after it. */
  glueLeft: boolean;
  glueRight: boolean;
}
export interface Detokenized {
  text: string;
  /** Per gold token, its character span (both tokens of a quote pair get the quote's). */
  spans: [number, number][];
  units: { start: number; end: number; from: number; to: number }[];
}

const PTB: Record<string, [string, 'open' | 'close']> = {
  '-LRB-': ['(', 'open'], '-RRB-': [')', 'close'], '-LSB-': ['[', 'open'], '-RSB-': [']', 'close'],
  '-RCB-': ['}', 'close'], '``': ['"', 'open'], "''": ['"', 'close'],
};
const CLITIC = /^(?:n't|'(?:s|t|d|m|re|ve|ll))$/i;
const GLUE_LEFT = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', '%', "'"]);
const GLUE_RIGHT = new Set(['(', '[', '{', '$', '#']);
const DIGITS = /^\p{N}+$/u;

/** Gold tokens → realistic raw text, every token's span kept. */
export function detokenize(tokens: readonly string[]): Detokenized {
  const units: Unit[] = [];
  let dquotes = 0;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    const prev = units[units.length - 1];
    const unit = (text: string, n: number, glueLeft: boolean, glueRight: boolean) => {
      units.push({ text, from: i, to: i + n, glueLeft, glueRight });
      i += n;
    };
    if ((t === '`' || t === "'") && tokens[i + 1] === t) unit('"', 2, t === "'", t === '`');
    else if (t === '`') unit("'", 1, false, true);
    else if (PTB[t]) unit(PTB[t][0], 1, PTB[t][1] === 'close', PTB[t][1] === 'open');
    else if (t === '-LCB-') unit('½', 1, prev !== undefined && DIGITS.test(prev.text), false); // AP wire's `{` is ½
    else if (t === '"') unit('"', 1, dquotes % 2 === 1, dquotes++ % 2 === 0);
    else if (CLITIC.test(t)) unit(t, 1, true, false);
    // O 'Brien, al-Sa 'id, o 'clock: the corpus split a word at its apostrophe
    else if (/^'\p{L}/u.test(t) && prev && /\p{L}$/u.test(prev.text) && (/^'\p{Ll}/u.test(t) || /^\p{Lu}$/u.test(prev.text)))
      unit(t, 1, true, false);
    // 4 : 45 → 4:45, 1 , 200 → 1,200 (only the second digit group of a number: 3 digits)
    else if ((t === ':' || t === ',') && prev && /^\p{N}{1,3}$/u.test(prev.text) && /^\p{N}+$/u.test(tokens[i + 1] ?? '') &&
      (t === ':' ? tokens[i + 1].length === 2 : tokens[i + 1].length === 3))
      unit(t, 1, true, true);
    else unit(t, 1, GLUE_LEFT.has(t), GLUE_RIGHT.has(t));
  }
  let text = '';
  const spans: [number, number][] = [];
  const out: Detokenized['units'] = [];
  units.forEach((u, k) => {
    if (k > 0 && !u.glueLeft && !units[k - 1].glueRight) text += ' ';
    const start = text.length;
    text += u.text;
    out.push({ start, end: text.length, from: u.from, to: u.to });
    for (let j = u.from; j < u.to; j++) spans.push([start, text.length]);
  });
  return { text, spans, units: out };
}
