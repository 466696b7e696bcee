/**
 * Which files of a brat collection are read: its `.txt`/`.ann` pairs in natural order, and what is not
 * read but counted (a `.txt` without its `.ann`, a pair in upper case, other files, sub-collections).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { counted, UserError } from '../../errors.js';
import { ioError } from '../io-error.js';
import { isDirectory } from '../dirs.js';
import type { Diagnostics } from '../diagnostics.js';

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The `.txt`/`.ann` prefixes (without extension) to read: one pair, or a collection's, in natural order
 * (doc2 before doc10). A `.txt` without its `.ann` is not read (it may be no document at all, e.g. a
 * README), but counted, and so are the other files not read (countUnread). So is a sub-collection
 * (`subCollections`): brat shows it as a collection of its own, and it may be entrel's output (a split's
 * parts, predictions) that would grow the corpus on each run; a collection with no document of its own is
 * refused naming them, and the renames of its pairs in another case (casePairs), if it has some.
 */
export async function pairPrefixes(path: string, diagnostics: Diagnostics): Promise<string[]> {
  if (await isDirectory(path)) {
    const entries = await readdir(path, { withFileTypes: true }).catch((e) => {
      throw ioError(path, e);
    });
    const all = entries.map((e) => e.name);
    const names = all.filter((n) => n.endsWith('.ann')).sort(natural);
    const variant = caseVariants(all);
    for (const n of names) {
      const txt = variant(n.slice(0, -4), 'txt');
      // brat reads `.txt` only: the read would fail on the missing file, without saying why.
      if (txt !== undefined && txt !== `${n.slice(0, -4)}.txt`) throw new UserError(`${LOWER_CASE}: rename ${txt} to ${n.slice(0, -4)}.txt`, { file: join(path, n) });
    }
    for (const n of all)
      if (n.endsWith('.txt') && variant(n.slice(0, -4), 'ann') === undefined) diagnostics.warn('brat-text-without-ann-skipped', join(path, n));
    const inOtherCase = casePairs(all, variant);
    await countUnread(path, entries, inOtherCase, diagnostics);
    const subs = await subCollections(path, entries);
    if (!names.length) {
      // A whole collection unpacked in upper case: its renames, not "no .ann files" alone.
      const [first, ...more] = inOtherCase;
      const renames = first ? `; ${LOWER_CASE}: rename ${first.renames}${more.length ? `, and so for ${counted(more.length, 'other pair')}` : ''}` : '';
      throw new UserError(`no .ann files in this directory${renames}${subs.length ? `; its subdirectories ${subs.join(', ')} hold some: name one` : ''}`, { file: path });
    }
    for (const sub of subs) diagnostics.warn('brat-subcollection-not-read', `${join(path, sub)} holds brat documents, which are not read with this collection: name that directory to read them`);
    return names.map((n) => join(path, n.slice(0, -4)));
  }
  const m = /^(.*)\.(ann|txt)$/i.exec(path);
  if (!m) throw new UserError('a brat file must end in .ann or .txt (or name a directory)', { file: path });
  await checkPairCase(m[1], m[2]);
  return [m[1]];
}

/**
 * Refuses the one pair at `prefix`, named by its file `prefix.EXT`, where brat would not read it: a pair
 * with a name in another case (`doc.ANN` beside `doc.txt`), naming the renames, where the read said
 * "cannot read doc.ann: no such file"; or a file named in another case (`doc.TXT`), naming its rename, or
 * the lower-case file beside it, which is the one read.
 */
async function checkPairCase(prefix: string, ext: string): Promise<void> {
  const stem = basename(prefix);
  const names = await readdir(dirname(prefix)).catch(() => [] as string[]);
  const [pair] = casePairs(names, caseVariants(names)).filter((p) => p.stem === stem);
  if (pair) throw new UserError(`${LOWER_CASE}: rename ${pair.renames}`, { file: prefix });
  const lower = `${stem}.${ext.toLowerCase()}`;
  if (ext !== ext.toLowerCase())
    throw new UserError(`${LOWER_CASE}: ${names.includes(lower) ? `name ${lower}, the file brat reads` : `rename ${stem}.${ext} to ${lower}`}`, { file: `${prefix}.${ext}` });
}

/** What the names of brat's files end in (and only this: brat reads `doc.ann`, not `doc.ANN`). */
const LOWER_CASE = "brat's files end in lower-case .txt and .ann";

/** brat's configuration files (annotation.conf, visual.conf, tools.conf, kb_shortcuts.conf) and its `*.stats` caches. */
const BRAT_OWN = /\.(conf|stats)$/;

/**
 * The name among `names` of `STEM.EXT` in any case (`doc.TXT` for `doc` and `txt`), the lower-case one
 * first; undefined when there is none.
 */
function caseVariants(names: readonly string[]): (stem: string, ext: 'txt' | 'ann') => string | undefined {
  const byLower = new Map<string, string>();
  for (const n of names) {
    const m = /^(.*)\.(txt|ann)$/i.exec(n);
    const key = m && `${m[1]}.${m[2].toLowerCase()}`;
    if (key && (!byLower.has(key) || n === key)) byLower.set(key, n);
  }
  return (stem, ext) => byLower.get(`${stem}.${ext}`);
}

/** A `.txt`/`.ann` pair brat does not read, some of its names being in another case: `doc.TXT to doc.txt and doc.ANN to doc.ann`. */
interface CasePair {
  stem: string;
  /** The files of the pair not in lower case, to rename. */
  files: string[];
  renames: string;
}

/**
 * The pairs among `names` (a directory's) that brat does not read because a name of theirs ends in
 * `.TXT`, `.ANN` or another case (Windows and archive tools write them; brat reads only lower-case ones),
 * in natural order.
 */
function casePairs(names: readonly string[], variant: ReturnType<typeof caseVariants>): CasePair[] {
  const stems = new Set(names.map((n) => /^(.*)\.(txt|ann)$/i.exec(n)?.[1]).filter((s) => s !== undefined));
  const pairs: CasePair[] = [];
  for (const stem of [...stems].sort(natural)) {
    const [txt, ann] = [variant(stem, 'txt'), variant(stem, 'ann')];
    if (txt === undefined || ann === undefined) continue;
    const moves = [[txt, `${stem}.txt`], [ann, `${stem}.ann`]].filter(([from, to]) => from !== to);
    if (moves.length) pairs.push({ stem, files: moves.map(([from]) => from), renames: moves.map(([from, to]) => `${from} to ${to}`).join(' and ') });
  }
  return pairs;
}

/**
 * Counts the files of the collection `dir` (its `entries`) that are not read, which a user may expect
 * read: `brat-pair-not-read` for each of `inOtherCase` (casePairs), naming the renames;
 * `brat-file-not-read` for any other file. Not counted: the `.txt` and `.ann` files (pairPrefixes: read,
 * or counted), directories (sub-collections: pairPrefixes), hidden files (`.gitignore`, `.DS_Store`,
 * brat's `.stats_cache`) and brat's own (BRAT_OWN).
 */
async function countUnread(dir: string, entries: readonly Dirent[], inOtherCase: readonly CasePair[], d: Diagnostics): Promise<void> {
  const ofPairs = new Set(inOtherCase.flatMap((p) => p.files));
  for (const e of entries) {
    const n = e.name;
    if (n.startsWith('.') || BRAT_OWN.test(n) || /\.(txt|ann)$/.test(n) || ofPairs.has(n)) continue;
    // A link is counted as what it leads to (a link to a directory is none; a broken one is a file not read).
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(join(dir, n)).then((s) => s.isDirectory(), () => false)))) continue;
    // Not one of a pair, or beside a pair in lower case, which is read.
    d.warn('brat-file-not-read', join(dir, n));
  }
  for (const p of inOtherCase) d.warn('brat-pair-not-read', `${join(dir, p.stem)}: ${LOWER_CASE}: rename ${p.renames}`);
}

/** The names of the subdirectories of `dir` (its `entries`) that hold `.ann` files, in natural order; not hidden ones, which brat does not show. */
async function subCollections(dir: string, entries: readonly Dirent[]): Promise<string[]> {
  // A link is looked into too (a link to a file, or a directory that cannot be read, holds none).
  const holds = (name: string) => readdir(join(dir, name)).then((inner) => inner.some((n) => n.endsWith('.ann')), () => false);
  const subs: string[] = [];
  for (const e of entries) if (!e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink()) && (await holds(e.name))) subs.push(e.name);
  return subs.sort(natural);
}
