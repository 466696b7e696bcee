/**
 * A top-level JSON array read as a stream, one element at a time, by a byte scanner: a file of records
 * need not fit in memory (JSON.parse would hold it whole, and its text besides).
 */
import { UserError, type ErrorLocation } from '../errors.js';
import type { Located } from './located.js';
import { fileChunks } from './data-file.js';
import { decodeUtf8 } from './decode.js';
import { parseJson } from './parse-json.js';
import { MAX_DOCUMENT_BYTES, tooLarge } from './document-size.js';

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The elements of a top-level JSON array, one at a time (record numbers are 1-based). Scans bytes
 * tracking string/escape state and nesting depth; only one element is held in memory at a time, and one
 * of more than MAX_DOCUMENT_BYTES is refused (tooLarge) once its end shows how long it is.
 */
export async function* readJsonArray(file: string): AsyncGenerator<Located<unknown>> {
  type State = 'start' | 'between' | 'element' | 'done';
  let state = 'start' as State;
  let record = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let parts: Buffer[] = [];
  let size = 0; // of the element; past MAX_DOCUMENT_BYTES (and its white space) its bytes are only counted
  let space = 0; // white space at the element's end so far, which is not the record's
  let afterComma = false;
  const loc = (): ErrorLocation => ({ file, line: record, unit: 'record' });
  const add = (piece: Buffer) => {
    size += piece.length;
    if (size - space <= MAX_DOCUMENT_BYTES) parts.push(piece);
    else parts = [];
  };
  const finish = (): Located<unknown> => {
    const l = loc();
    if (size - space > MAX_DOCUMENT_BYTES) throw tooLarge(size - space, l);
    const value = parseJson(decodeUtf8(Buffer.concat(parts), l), l);
    parts = [];
    size = 0;
    space = 0;
    return { value, loc: l };
  };

  for await (const chunk of fileChunks(file)) {
    let elemStart = -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (state === 'element') {
        if (inString) {
          space = 0;
          if (escape) escape = false;
          else if (b === 0x5c) escape = true;
          else if (b === 0x22) inString = false;
          continue;
        }
        if (b === 0x22) inString = true;
        else if (b === 0x5b || b === 0x7b) depth++;
        else if (b === 0x5d || b === 0x7d) depth--;
        if (depth < 0 || (depth === 0 && b === 0x2c)) {
          // the element ended just before this ',' or ']'
          add(chunk.subarray(elemStart === -1 ? 0 : elemStart, i));
          elemStart = -1;
          yield finish();
          state = b === 0x2c ? 'between' : 'done';
          afterComma = b === 0x2c;
          depth = 0;
        } else space = WS.has(b) ? space + 1 : 0;
        continue;
      }
      if (WS.has(b)) continue;
      if (state === 'start') {
        if (b !== 0x5b) throw new UserError('expected a JSON array ("[" at the start of the file)', { file });
        state = 'between';
      } else if (state === 'between') {
        if (b === 0x5d && !afterComma) {
          state = 'done';
          continue;
        }
        record++;
        state = 'element';
        elemStart = i;
        depth = 0;
        i--; // re-scan this byte as part of the element
      } else {
        throw new UserError('unexpected content after the closing "]"', { file });
      }
    }
    if (state === 'element') add(chunk.subarray(elemStart === -1 ? 0 : elemStart));
  }
  if (state === 'start') throw new UserError('empty file', { file });
  if (state !== 'done') {
    if (state === 'between') record++;
    throw new UserError('truncated JSON: the file ends inside the array', loc());
  }
}
