/**
 * brat's `lines` layout: a sentence a non-empty line of the `.txt`, a token a whitespace-separated piece
 * (LSTM-ER's ACE05 output, `ace05`: a piece between spaces, after 3 header lines, before a date line), the
 * entities widened to whole tokens.
 */
import { quote, type ErrorLocation } from '../../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Sentence, Token } from '../corpus.js';
import type { CharEntity, Placed } from './spans.js';

const DATE_LINE = /^\d{0,4}-\d{0,2}-\d{0,2}\s\d{0,2}:\d{0,2}:\d{0,2}$/;

interface Line {
  start: number;
  tokens: Token[];
  /** `ace05`: the pieces between spaces that were empty or held other white space at an edge, which the tokens leave out. */
  whitespace: string[];
}

/**
 * A line's tokens from offset `start`: its whitespace-separated pieces; with `ace05` its pieces between
 * spaces (U+0020), as the authors' `split(' ')` cuts them, other white space inside a token kept (CoreNLP
 * writes `1 1/2` as `1\u00a01/2`). Tokens are never empty nor edged with white space: what that leaves out
 * of a piece between spaces (an empty piece of two spaces in a row, which the authors keep as a token) is
 * listed in `whitespace`. A line's final `\r` is its line break, as Python reads text files.
 */
function lineTokens(raw: string, start: number, ace05: boolean): { tokens: Token[]; whitespace: string[] } {
  const token = (text: string, at: number) => ({ text, start: start + at, end: start + at + text.length });
  if (!ace05) return { tokens: [...raw.matchAll(/\S+/g)].map((m) => token(m[0], m.index)), whitespace: [] };
  const tokens: Token[] = [];
  const whitespace: string[] = [];
  const line = raw.replace(/\r$/, '');
  let at = 0;
  for (const piece of line === '' ? [] : line.split(' ')) {
    const core = piece.trim();
    if (core !== '') tokens.push(token(core, at + piece.indexOf(core)));
    if (piece === '') whitespace.push(`an empty token at character ${start + at}`);
    else if (core !== piece) whitespace.push(`token ${quote(piece)} at character ${start + at} read as ${core === '' ? 'no token' : quote(core)}`);
    at += piece.length + 1;
  }
  return { tokens, whitespace };
}

function splitLines(text: string, ace05: boolean): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    lines.push({ start, ...lineTokens(raw, start, ace05) });
    start += raw.length + 1;
  }
  if (ace05) {
    if (text.endsWith('\n')) lines.pop();
    const last = lines[lines.length - 1];
    if (last && DATE_LINE.test(text.slice(last.start, last.tokens.at(-1)?.end ?? last.start))) lines.pop();
  }
  return lines;
}

/** A `T` line: its character span (UTF-16) and where it is. */
export type Annotation = CharEntity & { loc: ErrorLocation };

/** Layout `lines`: a sentence a non-empty line, a token a whitespace-separated piece (`ace05`: lineTokens); spans widened to whole tokens. */
export function onLines(text: string, txtFile: string, spans: readonly Annotation[], ace05: boolean, d: Diagnostics, where: (loc: ErrorLocation) => string): { sentences: Sentence[]; placed: Placed } {
  const lines = splitLines(text, ace05);
  const first = ace05 ? 3 : 0;
  // char offset → [line, token] of the token covering it
  const lineOf = new Int32Array(text.length).fill(-1);
  const tokOf = new Int32Array(text.length).fill(-1);
  lines.forEach((l, li) => l.tokens.forEach((t, ti) => {
    lineOf.fill(li, t.start, t.end);
    tokOf.fill(ti, t.start, t.end);
  }));
  const sentenceOfLine = new Map<number, number>();
  const sentences: Sentence[] = [];
  lines.forEach((l, li) => {
    if (li < first) return;
    for (const w of l.whitespace) d.warn('brat-ace05-token-whitespace-dropped', `${txtFile}:${li + 1} ${w}`);
    if (!l.tokens.length) return;
    sentenceOfLine.set(li, sentences.length);
    sentences.push({ tokens: l.tokens, entities: [], relations: [] });
  });
  const placed: Placed = new Map();
  for (const { id, type, start: s, end: e, loc } of spans) {
    placed.set(id, null);
    let a = s;
    while (a < e && tokOf[a] < 0) a++;
    let b = e - 1;
    while (b > a && tokOf[b] < 0) b--;
    if (a >= e) {
      d.warn('brat-entity-on-whitespace-dropped', `${where(loc)} ${id}`);
      continue;
    }
    if (lineOf[a] !== lineOf[b]) {
      d.warn('brat-entity-across-lines-dropped', `${where(loc)} ${id}`);
      continue;
    }
    const sentence = sentenceOfLine.get(lineOf[a]);
    if (sentence === undefined) {
      d.warn('brat-entity-in-header-dropped', `${where(loc)} ${id}`);
      continue;
    }
    const toks = sentences[sentence].tokens;
    const entity = { id, type, start: tokOf[a], end: tokOf[b] + 1 };
    if (toks[entity.start].start !== s || toks[entity.end - 1].end !== e)
      d.warn('brat-entity-widened-to-tokens', `${where(loc)} ${id} ${quote(text.slice(s, e))}${ace05 ? '' : ' (a token is a whitespace-separated piece: --brat-layout text cuts tokens at the entity)'}`);
    sentences[sentence].entities.push(entity);
    placed.set(id, { sentence, entity });
  }
  return { sentences, placed };
}
