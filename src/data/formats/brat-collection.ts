/**
 * Which files of a brat collection are read: its `.txt`/`.ann` pairs in natural order, and what is not
 * read but counted (a `.txt` without its `.ann`, a pair in upper case, other files, sub-collections).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
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
 * refused naming them.
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
    await countUnread(path, entries, variant, diagnostics);
    const subs = await subCollections(path, entries);
    if (!names.length) throw new UserError(`no .ann files in this directory${subs.length ? `; its subdirectories ${subs.join(', ')} hold some: name one` : ''}`, { file: path });
    for (const sub of subs) diagnostics.warn('brat-subcollection-not-read', `${join(path, sub)} holds brat documents, which are not read with this collection: name that directory to read them`);
    return names.map((n) => join(path, n.slice(0, -4)));
  }
  const m = /^(.*)\.(ann|txt)$/.exec(path);
  if (!m) throw new UserError('a brat file must end in .ann or .txt (or name a directory)', { file: path });
  return [m[1]];
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

/**
 * Counts the files of the collection `dir` (its `entries`) that are not read, which a user may expect
 * read: `brat-pair-not-read` for a pair whose names end in `.TXT`, `.ANN` or another case (Windows and
 * archive tools write them; brat reads only lower-case ones), naming the renames; `brat-file-not-read`
 * for any other file. Not counted: the `.txt` and `.ann` files (pairPrefixes: read, or counted),
 * directories (sub-collections: pairPrefixes), hidden files (`.gitignore`, `.DS_Store`, brat's
 * `.stats_cache`) and brat's own (BRAT_OWN).
 */
async function countUnread(dir: string, entries: readonly Dirent[], variant: ReturnType<typeof caseVariants>, d: Diagnostics): Promise<void> {
  const named = new Set<string>();
  for (const e of entries) {
    const n = e.name;
    if (n.startsWith('.') || BRAT_OWN.test(n) || /\.(txt|ann)$/.test(n)) continue;
    // A link is counted as what it leads to (a link to a directory is none; a broken one is a file not read).
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(join(dir, n)).then((s) => s.isDirectory(), () => false)))) continue;
    const stem = /^(.*)\.(txt|ann)$/i.exec(n)?.[1];
    const [txt, ann] = stem === undefined ? [] : [variant(stem, 'txt'), variant(stem, 'ann')];
    // Not one of a pair, or beside a pair in lower case, which is read.
    if (stem === undefined || txt === undefined || ann === undefined || (txt === `${stem}.txt` && ann === `${stem}.ann`)) {
      d.warn('brat-file-not-read', join(dir, n));
      continue;
    }
    if (named.has(stem)) continue;
    named.add(stem);
    const renames = [[txt, `${stem}.txt`], [ann, `${stem}.ann`]].filter(([from, to]) => from !== to).map(([from, to]) => `${from} to ${to}`);
    d.warn('brat-pair-not-read', `${join(dir, stem)}: ${LOWER_CASE}: rename ${renames.join(' and ')}`);
  }
}

/** The names of the subdirectories of `dir` (its `entries`) that hold `.ann` files, in natural order; not hidden ones, which brat does not show. */
async function subCollections(dir: string, entries: readonly Dirent[]): Promise<string[]> {
  // A link is looked into too (a link to a file, or a directory that cannot be read, holds none).
  const holds = (name: string) => readdir(join(dir, name)).then((inner) => inner.some((n) => n.endsWith('.ann')), () => false);
  const subs: string[] = [];
  for (const e of entries) if (!e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink()) && (await holds(e.name))) subs.push(e.name);
  return subs.sort(natural);
}
