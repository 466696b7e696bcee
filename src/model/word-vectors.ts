/**
 * A user's own word vectors (the training config's `embeddings`) in place of the bundled GloVe, e.g.
 * domain vectors for biomedical text: a text file as GloVe, word2vec and fastText write it
 * (vectors-text.ts), or word2vec's binary format (vectors-word2vec.ts), told apart by their first bytes.
 * Parsed once into the binary cache GloVe uses (model/glove.ts), one cache file per path, rebuilt when the
 * file changes, so later loads take a fraction of a second.
 *
 * A model trained with such vectors records the file (`meta.embeddings`): at inference it reads the words
 * outside its vocabulary through them, as a GloVe model does through GloVe, so the file must be at its
 * recorded path, or in a place `ENTREL_EMBEDDINGS` names.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, readdirSync, readFileSync, readSync, realpathSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../data/atomic.js';
import { hostname } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join } from 'node:path';
import { fsReason, UserError } from '../errors.js';
import { GLOVE_DIM, loadGlove, readTableCache, tableCacheDir, writeTableCache, type GloveTable } from './glove.js';
import { openVectors, vectorsFingerprint } from './vectors-file.js';
import { readWordVectorsText } from './vectors-text.js';
import { isWord2vecBinary, readWord2vecBinary } from './vectors-word2vec.js';

export { readWordVectorsText } from './vectors-text.js';

/** What a model records of the word vectors it was trained with. */
export interface WordVectorsRecord {
  /** Absolute path on the training machine. */
  file: string;
  /** Its size and fingerprint (vectors-file.ts): another file at that path, or found elsewhere, is refused. */
  bytes: number;
  fingerprint: string;
  dim: number;
  words: number;
}

const HEAD = 1 << 20;

/** Parses a word-vectors file, text or word2vec's binary format. */
export function readWordVectors(file: string): GloveTable {
  const fd = openVectors(file);
  let head: Buffer;
  try {
    const buf = Buffer.alloc(HEAD);
    head = buf.subarray(0, readSync(fd, buf, 0, HEAD, 0));
  } catch (e) {
    throw new UserError(`cannot read the word vectors: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  } finally {
    closeSync(fd);
  }
  return isWord2vecBinary(head, head.length < HEAD) ? readWord2vecBinary(file) : readWordVectorsText(file);
}

/** Per vectors file (its real path): the table of its version last read, and that version's key. */
const memo = new Map<string, { key: string; table: GloveTable }>();

/**
 * The vectors of `file`, parsed once into the binary cache and memoised per process (its latest version
 * only). `fingerprint`: the
 * file's, when the caller has just checked it (wordVectorsFile), so it is not read again.
 */
export function loadWordVectors(file: string, fingerprint?: string): GloveTable {
  let real: string;
  let st: { size: number; mtimeMs: number };
  try {
    real = realpathSync(file);
    st = statSync(real);
  } catch (e) {
    throw new UserError(`cannot read the word vectors: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  }
  // Size, time and fingerprint: a file rewritten within one clock tick keeps its time (Linux stamps files
  // with a coarse clock), but not its first and last MiB.
  // The host last: a cache directory may be shared by machines that each have their own files.
  const key = `${real}\n${st.size}\n${st.mtimeMs}\n${fingerprint ?? vectorsFingerprint(real)}\n${hostname()}`;
  const hit = memo.get(real);
  if (hit?.key === key) return hit.table;
  // One cache per path, with a stamp of the file it was made from; another stamp means the file changed.
  const base = join(tableCacheDir(), `vectors-${createHash('sha256').update(real).digest('hex').slice(0, 16)}`);
  let stamp: string | undefined;
  try {
    stamp = readFileSync(`${base}.key`, 'utf8');
  } catch {
    stamp = undefined;
  }
  let table = stamp === key ? readTableCache(`${base}.bin`, st.size) : undefined;
  if (!table) {
    table = readWordVectors(real);
    removeOrphanCaches(dirname(base));
    if (writeTableCache(`${base}.bin`, table, st.size, 'word vectors')) writeFileAtomic(`${base}.key`, key);
  }
  // Replaces an earlier version's table: kept, each file rewritten in place (a retrained model redeployed
  // to the same path) would hold one more table, as large as its vectors, for the process's life.
  memo.set(real, { key, table });
  return table;
}

/**
 * Removes the caches of vectors files that are gone (moved or deleted): each is about as large as its
 * vectors, and nothing else would ever read it. Only this host's: another machine sharing the directory
 * has files this one cannot see. A stamp is the source path (which may hold line ends), then four lines:
 * size, time, fingerprint, host.
 */
function removeOrphanCaches(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^vectors-[0-9a-f]{16}\.key$/.test(n));
  } catch {
    return;
  }
  for (const name of names) {
    try {
      const lines = readFileSync(join(dir, name), 'utf8').split('\n');
      const [host, source] = [lines[lines.length - 1], lines.slice(0, -4).join('\n')];
      if (lines.length >= 5 && host === hostname() && !existsSync(source))
        for (const f of [name.replace(/\.key$/, '.bin'), name]) rmSync(join(dir, f), { force: true });
    } catch {
      // another process's, being replaced: left for the next sweep
    }
  }
}

/** The record a model keeps of the vectors in `file` (`table`: as loaded from it). */
export function wordVectorsRecord(file: string, table: GloveTable): WordVectorsRecord {
  return { file: realpathSync(file), bytes: statSync(file).size, fingerprint: vectorsFingerprint(file), dim: table.dim, words: table.size };
}

/** `meta.embeddings` of a model directory, checked (undefined: the model has none). */
export function recordedWordVectors(meta: Record<string, unknown>, where: string): WordVectorsRecord | undefined {
  const r = meta.embeddings as Partial<WordVectorsRecord> | undefined;
  if (r === undefined) return undefined;
  const count = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  if (!r || typeof r !== 'object' || typeof r.file !== 'string' || typeof r.fingerprint !== 'string' || !count(r.bytes) || !count(r.dim) || !count(r.words))
    throw new UserError('must be {file, bytes, fingerprint, dim, words} (positive counts)', { file: where, field: 'meta.embeddings' });
  return r as WordVectorsRecord;
}

/**
 * Where a model's own word vectors are on this machine: the path it recorded, else a file of the recorded
 * name in the model directory (where `entrel package --with-vectors` puts it), else each entry of
 * `ENTREL_EMBEDDINGS` (a file, or a directory holding one of the recorded name; several joined by `:`),
 * the first of the recorded size and fingerprint. `model` is the model directory, or names a model in
 * memory, in errors.
 *
 * The recorded path comes from the model's config.json, which a stranger may have written: it is only a
 * hint, taken when it is an absolute path to a regular file of the recorded size and fingerprint. Whatever
 * else is there (nothing, other vectors, a directory, a device, a file this process may not read) is not
 * told apart, and the message names no file found there, so a model cannot probe what exists on the
 * machine that loads it. Files in the model directory and where ENTREL_EMBEDDINGS says are the user's
 * choice: other vectors there are named.
 */
export function wordVectorsFile(rec: WordVectorsRecord, model: string): string {
  const env = process.env.ENTREL_EMBEDDINGS?.trim();
  const name = basename(rec.file);
  const inModel = isDirectory(model) ? [join(model, name)] : [];
  const places = [...inModel, ...(env ? env.split(delimiter).filter(Boolean) : []).map((p) => (isDirectory(p) ? join(p, name) : p))];
  const same = (p: string) => statSync(p).size === rec.bytes && vectorsFingerprint(p) === rec.fingerprint;
  if (isAbsolute(rec.file) && isRegularFile(rec.file)) {
    try {
      if (same(rec.file)) return rec.file;
    } catch {
      // unreadable here: as absent
    }
  }
  const found = places.filter(isRegularFile);
  const match = found.find(same);
  if (match) return match;
  if (found.length)
    throw new UserError(
      `was trained with the word vectors ${shown(rec.file)} (${rec.bytes} bytes); ${found.map(shown).join(', ')} ${found.length > 1 ? 'are' : 'is'} other vectors: give the model its own file (ENTREL_EMBEDDINGS: a file or directory, several joined by "${delimiter}")`,
      { file: model },
    );
  throw new UserError(
    `was trained with the word vectors ${shown(rec.file)}, which are not there${inModel.length ? ' nor in the model directory' : ''}${env ? ` nor where ENTREL_EMBEDDINGS says (${shown(env)})` : ''}: put them at that path${inModel.length ? ' or into the model directory' : ''}, or set ENTREL_EMBEDDINGS to the file or its directory`,
    { file: model },
  );
}

const isDirectory = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const isRegularFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** A path from a model's record as a message shows it: as it is, or JSON-quoted when it holds control or bidirectional-override characters. */
const shown = (p: string) => (/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(p) ? JSON.stringify(p) : p);

/** A model's own word vectors (`rec`, its record of them): where they are on this machine, and their table. */
export function ownWordVectors(rec: WordVectorsRecord, model: string): { file: string; table: GloveTable } {
  const file = wordVectorsFile(rec, model);
  const table = loadWordVectors(file, rec.fingerprint);
  if (table.dim !== rec.dim || table.size !== rec.words)
    throw new UserError(`was trained with ${rec.words} word vectors of ${rec.dim} dimensions (${shown(rec.file)}); the file now holds ${table.size} of ${table.dim}`, { file: model });
  return { file, table };
}

/**
 * The table through which a trained model reads words outside its vocabulary (the extended vocabulary,
 * model/glove.ts): its own word vectors, else the bundled GloVe, or none (`glove: false`). A model that
 * does not say (saved without `meta.glove`) gets GloVe when its words have GloVe's dimension.
 */
export function modelWordVectors(meta: Record<string, unknown>, wordDim: number, model: string): GloveTable | undefined {
  if (meta.glove === false) return undefined;
  const rec = recordedWordVectors(meta, model);
  if (rec) return ownWordVectors(rec, model).table;
  if (wordDim === GLOVE_DIM) return loadGlove();
  if (meta.glove === undefined) return undefined;
  throw new UserError(`says it was trained with GloVe (${GLOVE_DIM} dimensions), but its words have ${wordDim}`, { file: model });
}
