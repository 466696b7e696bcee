/**
 * Errors the user can fix (bad input, bad config, missing model) are `UserError`s: the CLI prints their
 * one-line message and exits 1. Anything else is a bug and exits 2.
 */
export interface ErrorLocation {
  /** File the problem is in, as the user named it. */
  file?: string;
  /** 1-based line (JSONL, TSV, brat) or record number (JSON arrays), whichever the format has. */
  line?: number;
  /** Kind of position `line` holds: "line" (default) or "record". */
  unit?: 'line' | 'record';
  /** Field or JSON path, e.g. `entities[2].end`. */
  field?: string;
}

/**
 * What kind of problem a UserError is, for a program to act on without reading the message:
 * - `ENTREL_INVALID_INPUT`: an argument, option, config value or input file (the default);
 * - `ENTREL_MODEL_NOT_FOUND`: no model directory or installed model package by that name;
 * - `ENTREL_MODEL_CORRUPT`: a model directory with a file missing, modified (checksums) or unreadable;
 * - `ENTREL_NATIVE_MISSING`: libtorch or the native binding cannot be loaded;
 * - `ENTREL_CLOSED`: a call on a closed Extractor;
 * - `ENTREL_INTERRUPTED`: a run the user stopped (Ctrl-C).
 */
export type UserErrorCode =
  | 'ENTREL_INVALID_INPUT'
  | 'ENTREL_MODEL_NOT_FOUND'
  | 'ENTREL_MODEL_CORRUPT'
  | 'ENTREL_NATIVE_MISSING'
  | 'ENTREL_CLOSED'
  | 'ENTREL_INTERRUPTED';

export class UserError extends Error {
  readonly location: ErrorLocation;
  /** Set once by the thrower; a caller that knows better (a model being loaded) may set it once more. */
  code: UserErrorCode;
  constructor(message: string, location: ErrorLocation = {}, code: UserErrorCode = 'ENTREL_INVALID_INPUT') {
    super(formatLocated(message, location));
    this.name = 'UserError';
    this.location = location;
    this.code = code;
  }
}

/** A run the user stopped (Ctrl-C, SIGTERM): a clean end, not a failure of the input; the CLI exits 128 + the signal's number (130 for Ctrl-C). */
export class Interrupted extends UserError {
  constructor(message: string, location: ErrorLocation = {}) {
    super(message, location, 'ENTREL_INTERRUPTED');
    this.name = 'Interrupted';
  }
}

/** `file:line: field: message` — the shape of every located message. */
export function formatLocated(message: string, loc: ErrorLocation): string {
  const parts: string[] = [];
  const where = formatWhere(loc);
  if (where !== '') parts.push(where);
  if (loc.field !== undefined) parts.push(loc.field);
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  return parts.length ? `${parts.join(': ')}: ${oneLine}` : oneLine;
}

/**
 * Why a file-system call failed, in words, for the errors a user fixes (paths, permissions, space).
 * `reading`: the call read the file, so ENOENT means the file is missing (a write's means its directory is).
 */
export function fsReason(e: unknown, reading = false): string | undefined {
  const { code, syscall } = (e ?? {}) as NodeJS.ErrnoException;
  if (code === 'ENOENT' && reading) return `no such file or directory (${code})`;
  // makeDirs (data/dirs.ts) makes one level at a time, so its mkdir's parent exists: the file system refuses (/proc).
  if (code === 'ENOENT' && syscall === 'mkdir') return `this file system does not allow a new directory here (${code})`;
  const why = code === undefined ? undefined : FS_REASONS[code];
  return why && `${why} (${code})`;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'the directory does not exist',
  ENOTDIR: 'a parent in the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'a file is in the way',
  ENOTEMPTY: 'a directory in the way is not empty',
  EMFILE: 'too many open files',
  EPIPE: 'the reader closed the pipe',
};

/** `file:line`, `file record N`, the file alone, or `line N` / `record N` without a file: where, without the field. */
export function formatWhere(loc: ErrorLocation): string {
  const at = loc.line === undefined ? undefined : loc.unit === 'record' ? `record ${loc.line}` : `line ${loc.line}`;
  if (loc.file === undefined) return at ?? '';
  if (loc.line === undefined) return loc.file;
  return loc.unit === 'record' ? `${loc.file} ${at}` : `${loc.file}:${loc.line}`;
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/**
 * A value taken from the user's input, for a message: JSON (so tabs, newlines and quotes stay visible and
 * on one line), cut to `max` characters. Inputs can hold 5,000-character tokens or arrays nested 100,000
 * deep; echoing them whole would bury the message (or overflow the stack in JSON.stringify).
 */
export function quote(value: unknown, max = 60): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = Array.isArray(value) ? '[…]' : '{…}'; // too deeply nested to print
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Controls that would act on a terminal rather than show: C0 (with tab and line breaks, which would break
 * a table's row), DEL, C1 (U+0080–U+009F: 8-bit CSI and OSC on some terminals), and the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what follows them.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `s` for human-readable terminal output (tables, banners: `entrel info`, `stats`, `serve`'s start-up
 * line) of names that come from files (a model's name, type names, tensor names): each character of
 * UNPRINTABLE as a visible `\u001b`-style escape, so that a name cannot set the window title, clear the
 * screen, colour or reorder the text after it, or start a line of its own. Other text, a backslash
 * included, is left as it is. JSON output has its own (printableJson).
 */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, unicodeEscape);
}

const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** UNPRINTABLE but the C0 controls, which JSON.stringify escapes itself (and a pretty-printed JSON's line breaks are). */
const UNPRINTABLE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text from JSON.stringify, for stdout (`--json`), with DEL, C1 and the bidi
 * controls of its strings as `\u009b`-style escapes: the same JSON value, which a terminal shows as it
 * is instead of acting on (these can occur only inside strings: JSON's own syntax is ASCII).
 */
export function printableJson(json: string): string {
  return json.replace(UNPRINTABLE_IN_JSON, unicodeEscape);
}

/**
 * An environment variable holding a count from `min` to `max` (ENTREL_THREADS, ENTREL_WORKERS): undefined
 * when unset or empty; digits, spaces around them allowed; anything else (`1e9`, `0x4`, `two`) a UserError
 * naming the variable, as the count would otherwise hang the process or be ignored in silence.
 */
export function envCount(name: string, min: number, max: number): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || n < min || n > max) throw new UserError(`must be an integer from ${min} to ${max}, got ${quote(v)}`, { field: name });
  return n;
}

/** `1 relation`, `0 relations`, `2 entities`: a count with its noun in the right number. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/*
 * What library callers pass to the public entry points is checked with these, so that misuse is a one-line
 * UserError naming the argument rather than a TypeError from deep inside.
 */

/** A value for a message: `null`, `an array`, `a function`, or the value itself (quoted, cut short). */
export function described(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v !== null && typeof v === 'object') return `an object ${quote(v)}`;
  return v === undefined ? 'undefined' : quote(v);
}

/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An options object: undefined or null (none given) or a plain object whose keys are all in `names`
 * (any other key is a typo, an error rather than silently ignored).
 */
export function checkOptions(value: unknown, field: string, names?: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw new UserError(`must be an object${names ? ` {${names.join(', ')}}` : ''}, got ${described(value)}`, { field });
  if (names)
    for (const key of Object.keys(value))
      if (!names.includes(key)) throw new UserError(`unknown option ${quote(key)} (allowed: ${names.join(', ')})`, { field });
}
