/** JSON text parsed, a syntax error reported as a one-line UserError that says where it is. */
import { UserError, type ErrorLocation } from '../errors.js';

/**
 * A whole JSON file (a training config, a types file): a syntax error names its line and column, where
 * JSON.parse gives a character position, which nobody can find in an editor.
 */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const m = / at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
    if (!m) throw new UserError(`invalid JSON (${message})`, { file });
    const before = text.slice(0, Number(m[1]));
    const column = before.length - before.lastIndexOf('\n');
    throw new UserError(`invalid JSON (${message.replace(m[0], '')}, column ${column})`, { file, line: before.split('\n').length });
  }
}

/** One record of JSON Lines or of a JSON array: a syntax error names the record (JSON.parse says where in it). */
export function parseJson(text: string, loc: ErrorLocation): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`invalid JSON (${(e as Error).message})`, loc);
  }
}
