/**
 * Texts to extract from, streamed out of a file so that a large input keeps memory bounded:
 * - `.jsonl`: one text per non-blank line, as a JSON string or an object with a string `text` (its `id`,
 *   if a string or number, is carried to the output; its `entities`, if any, are the text's known entities,
 *   between which the model finds the relations);
 * - anything else is plain text: one text per paragraph (blank lines separate paragraphs; single line
 *   breaks stay inside the text, where the sentence splitter reads them as spaces). A paragraph longer
 *   than `maxChars` is cut at a line break (or, for one enormous line, at the limit).
 * Every text records where it came from (file and first line) for error messages and ids.
 */
import { UserError } from '../errors.js';
import { readLines } from '../data/io.js';

export interface InputText {
  /** From the input (jsonl `id`) or `line-N` (first line of the paragraph / jsonl line). */
  id: string;
  text: string;
  /** A jsonl line's `entities` (checked by extraction: stream.ts), and where the line is, for its errors. */
  entities?: unknown;
  where?: { file: string; line: number };
  /** Bytes of input consumed so far, for progress. */
  bytesRead: number;
}

export const DEFAULT_MAX_PARAGRAPH_CHARS = 1_000_000;

export function inputKind(file: string): 'jsonl' | 'txt' {
  return /\.jsonl$/i.test(file) ? 'jsonl' : 'txt';
}

export async function* readInputTexts(file: string, opts: { maxChars?: number } = {}): AsyncGenerator<InputText> {
  if (inputKind(file) === 'jsonl') yield* readJsonlTexts(file);
  else yield* readParagraphs(file, opts.maxChars ?? DEFAULT_MAX_PARAGRAPH_CHARS);
}

async function* readJsonlTexts(file: string): AsyncGenerator<InputText> {
  let bytes = 0;
  for await (const { value, loc } of readLines(file)) {
    bytes += Buffer.byteLength(value) + 1;
    if (value.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(value);
    } catch (e) {
      throw new UserError(`invalid JSON (${(e as Error).message})`, loc);
    }
    const id = `line-${loc.line}`;
    if (typeof v === 'string') yield { id, text: v, bytesRead: bytes };
    else if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { text?: unknown }).text === 'string') {
      const o = v as { text: string; id?: unknown; entities?: unknown };
      yield {
        id: typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : id,
        text: o.text,
        bytesRead: bytes,
        ...(o.entities !== undefined && { entities: o.entities, where: { file, line: loc.line! } }),
      };
    } else throw new UserError('expected a JSON string or an object with a string "text"', { ...loc, field: 'text' });
  }
}

async function* readParagraphs(file: string, maxChars: number): AsyncGenerator<InputText> {
  let lines: string[] = [];
  let size = 0;
  let first = 0;
  let bytes = 0;
  const flush = (): InputText | undefined => {
    const p = { id: `line-${first}`, text: lines.join('\n'), bytesRead: bytes };
    lines = [];
    size = 0;
    return p.text.trim() ? p : undefined;
  };
  for await (const { value, loc } of readLines(file)) {
    bytes += Buffer.byteLength(value) + 1;
    if (value.trim() === '') {
      const p = flush();
      if (p) yield p;
      continue;
    }
    for (let at = 0; at < value.length; ) {
      const end = cutPoint(value, at, maxChars);
      const piece = value.slice(at, end);
      at = end;
      if (lines.length && size + piece.length > maxChars) {
        const p = flush();
        if (p) yield p;
      }
      if (!lines.length) first = loc.line!;
      lines.push(piece);
      size += piece.length + 1;
    }
  }
  const p = flush();
  if (p) yield p;
}

/** End of the piece of `line` starting at `at`: after a space in the second half if any, never inside a surrogate pair. */
function cutPoint(line: string, at: number, maxChars: number): number {
  let end = at + maxChars;
  if (end >= line.length) return line.length;
  const space = line.lastIndexOf(' ', end - 1);
  if (space >= at + maxChars / 2) return space + 1;
  if (/[\uDC00-\uDFFF]/.test(line[end])) end--;
  return end;
}
