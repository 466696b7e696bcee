/**
 * Texts to extract from, streamed out of a file so that a large input keeps memory bounded:
 * - `.jsonl` (or `.ndjson`): one text per non-blank line, as a JSON string or an object with a string
 *   `text`, an optional `id` (a string or number, carried to the output) and optional `entities` (the
 *   text's known entities, between which the model finds the relations); any other field is refused, as
 *   a misspelt `entities` would silently drop them;
 * - anything else is plain text: one text per paragraph (blank lines separate paragraphs; single line
 *   breaks stay inside the text, where the sentence splitter reads them as spaces), or with `lines` one
 *   per non-blank line. A text longer than `maxChars` is cut at a line break (or, for one enormous line,
 *   at a space or the limit). A plain-text file whose first lines are JSON is refused (readInputKind): its
 *   JSON syntax would become the text.
 * Every text records where it came from (file and first line) for error messages and ids.
 */
import { open, stat } from 'node:fs/promises';
import { described, quote, UserError } from '../errors.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { ioError } from '../data/io-error.js';
import { readLines } from '../data/lines.js';
import type { Located } from '../data/located.js';

interface InputText {
  /** From the input (jsonl `id`) or `line-N` (first line of the paragraph / jsonl line). */
  id: string;
  text: string;
  /** A jsonl line's `entities` (checked by extraction: stream.ts), and where the line is, for its errors. */
  entities?: unknown;
  where?: { file: string; line: number };
  /** Bytes of input consumed so far, for progress. */
  bytesRead: number;
}

interface InputOptions {
  /** Longest text in characters (default DEFAULT_MAX_PARAGRAPH_CHARS). */
  maxChars?: number;
  /** A plain-text file holds one text per non-blank line, not per paragraph. */
  lines?: boolean;
  /** Counts a `.jsonl` id seen before (`duplicate-document-id`): a brat output names the second file `ID_2`. */
  diagnostics?: Diagnostics;
}

type InputKind = 'jsonl' | 'txt';

const DEFAULT_MAX_PARAGRAPH_CHARS = 1_000_000;

/** What a file's name says it is: JSON Lines for `.jsonl` and `.ndjson`, else plain text. */
function inputKind(file: string): InputKind {
  return /\.(?:jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'txt';
}

/**
 * What `file` is read as (inputKind), refusing a file whose name says neither JSON Lines nor `.txt` and
 * whose first lines are JSON (a `.json` array, JSON Lines named otherwise: looksLikeJson).
 */
export async function readInputKind(file: string): Promise<InputKind> {
  const kind = inputKind(file);
  if (kind === 'jsonl' || /\.txt$/i.test(file)) return kind;
  // A pipe (`--in -`, `<(zcat …)`) cannot be looked into without consuming it: its first lines are checked
  // as they are read (readInputTexts).
  if (!(await isRegularFile(file))) return kind;
  refuseJson(file, firstLines(await head(file)));
  return kind;
}

/** Refuses plain text whose first non-blank `lines` are JSON (looksLikeJson). */
function refuseJson(file: string, lines: readonly string[]): void {
  if (looksLikeJson(lines))
    throw new UserError(
      `looks like JSON (it starts ${quote(lines[0], 30)}), but only a .jsonl or .ndjson file is read as JSON, one text a line (a JSON array: one item a line): name it so, or .txt to extract from its characters as plain text`,
      { file },
    );
}

async function isRegularFile(file: string): Promise<boolean> {
  if (file === '-') return false; // standard input, read as a stream whatever it is
  try {
    return (await stat(file)).isFile();
  } catch (e) {
    throw ioError(file, e);
  }
}

const HEAD_BYTES = 64 * 1024;

/** The first bytes of `file`, as text (a character cut at the end becomes U+FFFD). */
async function head(file: string): Promise<string> {
  try {
    const handle = await open(file);
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw ioError(file, e);
  }
}

/** The first two non-blank lines, trimmed. */
const firstLines = (text: string): string[] =>
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 2);

/** A line's JSON value, if it is one. */
function parsed(line: string | undefined): { value: unknown } | undefined {
  if (line === undefined) return undefined;
  try {
    return { value: JSON.parse(line) };
  } catch {
    return undefined;
  }
}

const STRING = '"(?:[^"\\\\]|\\\\.)*"';
const KEY = `${STRING}\\s*:`;
/** The first line of an object or an array of texts spread over lines: `{"text": "a",`, `[{"text": …`, `["a",`. */
const OPENS = new RegExp(`^(?:\\{\\s*${KEY}|\\[\\s*(?:\\{\\s*${KEY}|${STRING}\\s*,))`);
/** Opening brackets only (`[`, `{`, `[{`): the next line tells. */
const BRACKETS = /^[[{](?:\s*[[{])*$/;
/** A line inside a pretty-printed object or array: a key, an item (a string, a number, null, true, false), a bracket. */
const INSIDE = new RegExp(`^(?:${KEY}|(?:${STRING}|-?\\d[\\d.eE+-]*|null|true|false)\\s*,?$|[[{\\]}])`);

/**
 * Whether a file whose first non-blank lines are `lines` holds JSON, not prose that starts with a bracket or
 * a quote (`[Reuters] …`, a footnote's `[1] Smith…`, a quoted title, `{` before prose): a line that is an
 * object or an array (`{"text": …}`, `["a"]`, `[]`, `[["a"]]`), the first line of one (`[{"text": "a"},`),
 * opening brackets before a line of one (pretty-printed), or a string before another JSON text (JSON
 * Lines of strings).
 */
function looksLikeJson(lines: readonly string[]): boolean {
  if (lines.length === 0) return false;
  const [first, second] = [lines[0], lines.at(1)];
  const line = parsed(first);
  if (line) {
    // A whole line that is an array or an object is JSON whatever it holds (`[["John", …]]`, `[null, {…}]`),
    // but a footnote marker (`[1]`) before prose is not; a string alone may be prose (a quoted title)
    // unless JSON follows.
    const v = line.value;
    const marker = Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
    if (v !== null && typeof v === 'object') return !marker || parsed(second) !== undefined;
    return typeof v === 'string' && isText(parsed(second)?.value);
  }
  return OPENS.test(first) || (BRACKETS.test(first) && second !== undefined && INSIDE.test(second));
}

/** What a JSON Lines line holds: a string or an object. */
const isText = (v: unknown): boolean => typeof v === 'string' || (v !== null && typeof v === 'object' && !Array.isArray(v));

export async function* readInputTexts(file: string, opts: InputOptions = {}): AsyncGenerator<InputText> {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_PARAGRAPH_CHARS;
  const texts = (lines: AsyncIterable<Located<string>>) => (opts.lines ? readLineTexts(lines, maxChars) : readParagraphs(lines, maxChars));
  if ((await readInputKind(file)) === 'jsonl') return yield* readJsonlTexts(file, readLines(file), opts.diagnostics);
  if (/\.txt$/i.test(file) || (await isRegularFile(file))) return yield* texts(readLines(file));
  // A pipe (`-`, `<(…)`) has no name to say what it holds: its first lines tell, as they come.
  const { head, lines } = await peekNonBlank(readLines(file), 2);
  const first = firstLines(head.map((l) => l.value).join('\n'));
  if (!looksLikeJson(first)) return yield* texts(lines);
  if (first.every((l) => isText(parsed(l)?.value))) return yield* readJsonlTexts(file, lines, opts.diagnostics);
  refuseJson(file, first); // JSON, but not JSON Lines of texts (a JSON array)
}

/** The lines of `lines` up to and with the `n`-th non-blank one, and all of `lines` (those first) to read on. */
async function peekNonBlank(lines: AsyncIterable<Located<string>>, n: number): Promise<{ head: Located<string>[]; lines: AsyncGenerator<Located<string>> }> {
  const it = lines[Symbol.asyncIterator]();
  const head: Located<string>[] = [];
  for (let nonBlank = 0; nonBlank < n; ) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    if (r.value.value.trim() !== '') nonBlank++;
  }
  async function* all(): AsyncGenerator<Located<string>> {
    yield* head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, lines: all() };
}

/** A line's fields. */
const LINE_FIELDS: readonly string[] = ['text', 'id', 'entities'];

async function* readJsonlTexts(file: string, lines: AsyncIterable<Located<string>>, diagnostics?: Diagnostics): AsyncGenerator<InputText> {
  let bytes = 0;
  const seen = new Map<string, number>();
  for await (const { value, loc } of lines) {
    bytes += Buffer.byteLength(value) + 1;
    if (value.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(value);
    } catch (e) {
      throw new UserError(`invalid JSON (${(e as Error).message})`, loc);
    }
    const line = loc.line!;
    const text = jsonlText(v, file, line);
    const first = seen.get(text.id);
    if (first === undefined) seen.set(text.id, line);
    else diagnostics?.warn('duplicate-document-id', `${file}:${line} id ${quote(text.id)} (first at line ${first}); both kept`);
    yield { ...text, bytesRead: bytes };
  }
}

/** A parsed jsonl line as a text: its id (default `line-N`), text and entities. */
function jsonlText(v: unknown, file: string, line: number): Omit<InputText, 'bytesRead'> {
  const id = `line-${line}`;
  if (typeof v === 'string') return { id, text: v };
  if (!(v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { text?: unknown }).text === 'string'))
    throw new UserError('expected a JSON string or an object with a string "text"', { file, line, field: 'text' });
  const o = v as { text: string; id?: unknown; entities?: unknown };
  const unknown = Object.keys(o).find((k) => !LINE_FIELDS.includes(k));
  if (unknown !== undefined) throw new UserError(`unknown field ${quote(unknown)} (a line has text, and optionally id and entities)`, { file, line });
  if (o.id !== undefined && typeof o.id !== 'string' && typeof o.id !== 'number')
    throw new UserError(`must be a string or a number, got ${described(o.id)}`, { file, line, field: 'id' });
  return {
    id: o.id === undefined ? id : String(o.id),
    text: o.text,
    ...(o.entities !== undefined && { entities: o.entities, where: { file, line } }),
  };
}

/** One text per non-blank line, named by it; a line longer than `maxChars` cut as a paragraph is. */
async function* readLineTexts(lines: AsyncIterable<Located<string>>, maxChars: number): AsyncGenerator<InputText> {
  let bytes = 0;
  for await (const { value, loc } of lines) {
    bytes += Buffer.byteLength(value) + 1;
    for (let at = 0; at < value.length; ) {
      const end = cutPoint(value, at, maxChars);
      const text = value.slice(at, end);
      at = end;
      if (text.trim()) yield { id: `line-${loc.line}`, text, bytesRead: bytes };
    }
  }
}

async function* readParagraphs(source: AsyncIterable<Located<string>>, maxChars: number): AsyncGenerator<InputText> {
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
  for await (const { value, loc } of source) {
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
