/** JSON Lines: one JSON value a line, read as a stream (lines.ts). */
import { UserError } from '../errors.js';
import type { Located } from './located.js';
import { readLines } from './lines.js';
import { parseJson } from './parse-json.js';
import { MAX_DOCUMENT_BYTES } from './document-size.js';

/** One JSON value per non-blank line, a document of at most MAX_DOCUMENT_BYTES; an empty file is an error. */
export async function* readJsonLines(file: string): AsyncGenerator<Located<unknown>> {
  let any = false;
  for await (const { value, loc } of readLines(file, MAX_DOCUMENT_BYTES)) {
    if (value.trim() === '') continue;
    any = true;
    yield { value: parseJson(value, loc), loc };
  }
  if (!any) throw new UserError('empty file', { file });
}
