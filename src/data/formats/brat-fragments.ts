/**
 * An entity's span against the line breaks in it: brat's text-bound spans cannot cross one, so the writer
 * writes a span over lines as fragments around them, and the reader joins fragments that only a line
 * break parts.
 */

/**
 * Where Python's `str.splitlines` ends a line: brat reads an `.ann` file by those lines, so a text column
 * holding one of them is cut in two (and the sentence splitter reads `\v`, `\f`, U+0085, U+2028 and
 * U+2029 as line breaks too, which an entity may span).
 */
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
const BLANK = /^[\s\p{Cc}]*$/u;
/**
 * What parts the fragments of one entity written over line breaks: white space (or controls) with a line
 * break. Two regexes: as one (`^blank*break blank*$`) it backtracks quadratically on a long gap.
 */
export const isBreakGap = (gap: string) => BLANK.test(gap) && LINE_BREAK.test(gap);

/**
 * An entity's `T` line: its span as fragments around the line breaks in it (brat's text-bound spans cannot
 * cross one; the reader joins fragments that only a line break parts), offsets in code points
 * (`cp`: codePointOffsets of the text).
 */
export function entityLine(id: string, type: string, text: string, start: number, end: number, cp: (utf16: number) => number): string {
  const fragments: [number, number][] = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i === end || LINE_BREAK.test(text[i])) {
      if (i > from) fragments.push([from, i]);
      from = i + 1;
    }
  }
  if (!fragments.length) fragments.push([start, end]);
  const offsets = fragments.map(([a, b]) => `${cp(a)} ${cp(b)}`).join(';');
  return `${id}\t${type} ${offsets}\t${fragments.map(([a, b]) => text.slice(a, b)).join(' ')}`;
}
