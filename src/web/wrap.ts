import { charColumns } from './width.js';

export interface Span {
  start: number;
  end: number;
}

const isSpace = (ch: string) => /\s/.test(ch);
const isNewline = (ch: string) => ch === '\n' || ch === '\r';

/**
 * Break `text` into display rows of at most `width` columns: at newlines and between words, never inside
 * an entity (an entity wider than a row overflows it). Words wider than a row are cut.
 * `entities` must be sorted and non-overlapping. Rows hold no leading or trailing whitespace; a run of
 * blank lines is one empty row.
 */
export function wrapRows(text: string, entities: Span[], cols: Int32Array, width: number): Span[] {
  // inside[i]: a break before offset i would cut an entity.
  const inside = new Uint8Array(text.length + 1);
  for (const e of entities) inside.fill(1, e.start + 1, e.end);

  const rows: Span[] = [];
  let row: Span | undefined;
  for (let i = 0; i < text.length; ) {
    if (isNewline(text[i])) {
      // An empty line stays an (empty) row, a run of them one row: 100,000 line breaks drew a page 5 million px high.
      if (row) rows.push(row);
      else if (rows.length === 0 || rows[rows.length - 1].end > rows[rows.length - 1].start) rows.push({ start: i, end: i });
      row = undefined;
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && (inside[j] || !isSpace(text[j]))) j++;
    if (row && cols[j] - cols[row.start] <= width) {
      row.end = j;
    } else {
      if (row) rows.push(row);
      const pieces = cols[j] - cols[i] > width && !entities.some((e) => e.start < j && e.end > i)
        ? cutWord(text, i, j, width)
        : [{ start: i, end: j }];
      rows.push(...pieces.slice(0, -1));
      row = pieces[pieces.length - 1];
    }
    i = j;
  }
  if (row || rows.length === 0) rows.push(row ?? { start: 0, end: 0 });
  return rows;
}

/** Cut [start, end) into pieces of at most `width` columns, never between a character and its marks. */
function cutWord(text: string, start: number, end: number, width: number): Span[] {
  const pieces: Span[] = [];
  let from = start;
  let used = 0;
  for (let k = start; k < end; ) {
    const ch = String.fromCodePoint(text.codePointAt(k) as number);
    const w = charColumns(ch);
    if (w > 0 && used + w > width && k > from) {
      pieces.push({ start: from, end: k });
      from = k;
      used = 0;
    }
    used += w;
    k += ch.length;
  }
  pieces.push({ start: from, end });
  return pieces;
}
