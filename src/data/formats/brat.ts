/**
 * brat standoff: `NAME.txt` + `NAME.ann`, a collection (a directory of pairs) or one pair (name either
 * file). The text is cut into sentences and tokens by the layout (`lines` or `text`, below). `T` lines are
 * entities (discontinuous ones dropped), `R` lines relations; E, A, M, N, * and # lines are dropped and
 * counted, and so is an event's trigger, a `T` line too: one of a type the conf declares under `[events]`,
 * or one an `E` line names (a relation to a trigger or to an event is dropped with it). `entrel split`
 * copies a collection's files into its parts, so what is dropped stays there (`copyDocuments`). brat
 * counts offsets in code points, which we convert to JavaScript's UTF-16 offsets. A document is read whole
 * (its offsets span the file).
 *
 * `ace05: true` reads LSTM-ER's ACE05 output as the paper's lib/ace2005_data_preprocess.py (spec §1.5):
 * the first 3 lines are headers (not sentences), a trailing date-time line is dropped, a token is a piece
 * between spaces (U+0020, the authors' `split(' ')`: `1\u00a01/2` is one token), PER-SOC arguments are put
 * in text order (ace05.ts), and the `.split` suffix is removed from document ids. A part `entrel split
 * --ace05` wrote records it in its annotation.conf, and reads so without the flag; other `*.split.txt`
 * files read without it are counted (`brat-split-file-without-ace05`).
 */
import { closeSync, constants, lstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { quote, UserError, type ErrorLocation } from '../../errors.js';
import { ioError, isDirectory, type Located } from '../io.js';
import { fail } from '../validate.js';
import { writeDirAtomic } from '../atomic.js';
import { writeAtomic, type Source } from '../write.js';
import { Diagnostics } from '../diagnostics.js';
import type { Document, LabelSchema, Sentence, Token } from '../corpus.js';
import { CONF_FILE, confFileText, confText, copiedConf, isEntrelConf, readCollectionFile, readConf, readConfEventTypes, readConfLayout, type RecordedLayout } from './brat-conf.js';
import { ACE05_SCHEMA, outOfTextOrder } from './ace05.js';
import { attachRelations, codePointOffsets, countSplitChanges, fromCodePoints, placeOnText, type CharEntity, type CharRelation, type Placed } from './spans.js';
import { eachLabel, growingSchema, refuseUnreadable, unwritableLabel } from './common.js';
import type { Format, ReadOptions } from './types.js';

const DATE_LINE = /^\d{0,4}-\d{0,2}-\d{0,2}\s\d{0,2}:\d{0,2}:\d{0,2}$/;

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The `.txt`/`.ann` prefixes (without extension) to read: one pair, or a collection's, in natural order
 * (doc2 before doc10). A `.txt` without its `.ann` is not read (it may be no document at all, e.g. a
 * README), but counted, and so are the other files not read (countUnread). So is a sub-collection
 * (`subCollections`): brat shows it as a collection of its own, and it may be entrel's output (a split's
 * parts, predictions) that would grow the corpus on each run; a collection with no document of its own is
 * refused naming them.
 */
async function pairs(path: string, diagnostics: Diagnostics): Promise<string[]> {
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
 * for any other file. Not counted: the `.txt` and `.ann` files (pairs(): read, or counted), directories
 * (sub-collections: pairs()), hidden files (`.gitignore`, `.DS_Store`, brat's `.stats_cache`) and brat's
 * own (BRAT_OWN).
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

/**
 * A file of at most MAX_DOCUMENT_BYTES (readCollectionFile), strict UTF-8 per line, so a bad byte is
 * reported with its line. A `.txt`'s byte-order mark (`keepBom`) is kept as its first character
 * (whitespace to the tokenizer): brat counts it in the `.ann` offsets.
 */
async function readText(file: string, keepBom = false): Promise<string> {
  const buf = await readCollectionFile(file);
  // ignoreBOM: a U+FEFF opening a later line is the text's; the file's own one is dropped below (or kept).
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let from = 0;
  let line = 1;
  const out: string[] = [];
  for (;;) {
    const nl = buf.indexOf(0x0a, from);
    const piece = buf.subarray(from, nl === -1 ? buf.length : nl);
    try {
      out.push(dec.decode(piece));
    } catch {
      throw new UserError('not valid UTF-8 text', { file, line });
    }
    if (nl === -1) {
      const text = out.join('\n');
      return keepBom ? text : text.replace(/^\uFEFF/, '');
    }
    from = nl + 1;
    line++;
  }
}

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
type Annotation = CharEntity & { loc: ErrorLocation };

/** A `T` line as written: its fragments (UTF-16 offsets, in text order), the text it quotes, and where it is. */
interface TextBound {
  id: string;
  type: string;
  units: number[][];
  surface: string | undefined;
  loc: ErrorLocation;
}

/**
 * The document of the pair at `prefix`. `triggerTypes`: the conf's event types (readConfEventTypes), whose
 * `T` lines are event triggers, as are those an `E` line names (`E1\tJoin:T10 Agent:T1`); an `.ann` may
 * name a trigger before its `T` line, so the `T` lines are sorted out after the whole file is read.
 */
async function readDoc(prefix: string, opts: ReadOptions, { layout, ace05 }: Reading, triggerTypes: ReadonlySet<string>): Promise<Document> {
  const d = opts.diagnostics;
  const txtFile = `${prefix}.txt`;
  const annFile = `${prefix}.ann`;
  const text = await readText(txtFile, true);
  if (text.trim() === '') throw new UserError('empty file', { file: txtFile });
  const ann = await readText(annFile);
  const toUnits = fromCodePoints(text);
  const where = (loc: ErrorLocation) => `${annFile}:${loc.line}`;

  const bounds: TextBound[] = [];
  const declared = new Set<string>();
  const events = new Set<string>();
  const named = new Set<string>(); // the T ids E lines name as their triggers
  const rels: (CharRelation & { id: string; loc: ErrorLocation })[] = [];
  ann.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    const loc = { file: annFile, line: i + 1 };
    if (line.trim() === '') return;
    const kind = line[0];
    const fields = line.split('\t');
    const id = fields[0];
    if (kind === 'T') {
      if (fields.length < 2) fail('expected "T<id>\\tTYPE START END\\tTEXT"', loc, id);
      const m = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(fields[1]);
      if (!m) fail(`expected "TYPE START END", got ${quote(fields[1])}`, loc, id);
      const ranges = m[2].split(';').map((r) => r.split(' ').map(Number));
      for (const [s, e] of ranges) {
        if (e <= s) fail(`end ${e} is not after start ${s}`, loc, id);
        if (toUnits(e) > text.length) fail(`end ${e} is past the end of ${basename(txtFile)} (${text.length} characters)`, loc, id);
      }
      if (declared.has(id)) fail('duplicate annotation id', loc, id);
      declared.add(id);
      const units = ranges.map(([s, e]) => [toUnits(s), toUnits(e)]).sort((x, y) => x[0] - y[0]);
      // The reference text is the rest of the line: a span over a tab holds one.
      bounds.push({ id, type: m[1], units, surface: fields.length > 2 ? fields.slice(2).join('\t') : undefined, loc });
    } else if (kind === 'R') {
      const m = fields.length >= 2 ? /^(\S+) Arg1:(\S+) Arg2:(\S+)\s*$/.exec(fields[1]) : null;
      if (!m) fail('expected "R<id>\\tTYPE Arg1:T<id> Arg2:T<id>"', loc, id);
      rels.push({ id, type: m[1], head: m[2], tail: m[3], loc, where: `${where(loc)} ${id}` });
    } else if (kind === 'E') {
      events.add(id);
      // `TYPE:TRIGGER` opens the line (the last colon: a type may hold one); malformed, there is no trigger to drop.
      const trigger = fields.length >= 2 ? /^(\S+):(\S+)/.exec(fields[1])?.[2] : undefined;
      if (trigger !== undefined) named.add(trigger);
      d.warn('brat-event-dropped', `${where(loc)} ${id}`);
    } else if (kind === 'A' || kind === 'M') d.warn('brat-attribute-dropped', `${where(loc)} ${id}`);
    else if (kind === 'N') d.warn('brat-normalization-dropped', `${where(loc)} ${id}`);
    else if (kind === '*') d.warn('brat-equivalence-dropped', `${where(loc)} ${line}`);
    else if (kind === '#') d.warn('brat-note-dropped', `${where(loc)} ${id}`);
    else fail(`unknown annotation line ${quote(line)}`, loc);
  });

  const spans: Annotation[] = [];
  const dropped: string[] = []; // triggers and events: a relation to one is dropped with it
  for (const { id, type, units, surface, loc } of bounds) {
    const at = `${where(loc)} ${id}`;
    if (named.has(id) || triggerTypes.has(type)) {
      d.warn('brat-event-trigger-dropped', at);
      dropped.push(id);
      continue;
    }
    // Fragments parted by a line break (and spaces) only are one span over lines, as brat writes it.
    if (units.some(([s], k) => k > 0 && !isBreakGap(text.slice(units[k - 1][1], s)))) {
      d.warn('brat-discontinuous-entity-dropped', at);
      continue;
    }
    const own = units.map(([s, e]) => text.slice(s, e)).join(' '); // brat joins fragments' text with a space
    if (surface !== undefined && surface !== own) d.warn('brat-entity-text-mismatch', `${at} ${quote(surface)} vs ${quote(own)}`);
    spans.push({ id, type, start: units[0][0], end: units[units.length - 1][1], loc, where: at });
  }

  const { sentences, placed } = layout.layout === 'lines' ? onLines(text, txtFile, spans, ace05, d, where) : placeOnText(text, spans, layout.tokenizer, d, 'brat');
  for (const r of rels)
    for (const [role, arg] of [['Arg1', r.head], ['Arg2', r.tail]] as const)
      if (!declared.has(arg) && !events.has(arg)) fail(`unknown relation argument ${quote(arg)}`, r.loc, `${r.id}.${role}`);
  for (const id of [...dropped, ...events]) placed.set(id, null); // attachRelations counts a relation to one as relation-dropped-with-entity
  attachRelations(sentences, placed, rels, d, (r, h, t) => ace05 && outOfTextOrder(r.type, h, t));
  return { id: docId(basename(prefix), ace05), text, sentences };
}

/** A document's id: its file name without extension; LSTM-ER's ACE05 output (`ace05`) without its `.split` suffix. */
const docId = (name: string, ace05: boolean) => (ace05 ? name.replace(/\.split$/, '') : name);

/** Layout `lines`: a sentence a non-empty line, a token a whitespace-separated piece (`ace05`: lineTokens); spans widened to whole tokens. */
function onLines(text: string, txtFile: string, spans: readonly Annotation[], ace05: boolean, d: Diagnostics, where: (loc: ErrorLocation) => string): { sentences: Sentence[]; placed: Placed } {
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

/**
 * How a collection is read: how its `.txt` files are cut into sentences and tokens (ReadOptions.bratLayout,
 * and the tokenizer of `text`), and whether as LSTM-ER's ACE05 output.
 */
interface Reading {
  layout: { layout: 'lines' } | { layout: 'text'; tokenizer: 'ptb' | 'conll04' };
  ace05: boolean;
}

/** The reading options that choose it. */
type ReadingOptions = Pick<ReadOptions, 'ace05' | 'bratLayout' | 'tokenizer'>;

/**
 * How to read `path`: the layout asked for; else `lines` for LSTM-ER's ACE05 output; else the one the
 * collection's annotation.conf records (entrel writes it: brat-conf.ts); else `text`, as brat collections
 * are annotated raw text. As ACE05 where asked (`ace05`), else where the conf records it of the `lines`
 * layout read (a part `split --ace05` wrote; `ace05: false` reads it otherwise).
 */
async function readingOf(path: string, opts: ReadingOptions): Promise<Reading> {
  const recorded = opts.ace05 ? undefined : await readConfLayout(confOf(path, await isDirectory(path)));
  // The tokenizer given (the model's, a config's) cuts what that model will see; else the one recorded.
  const tokenizer = opts.tokenizer ?? (recorded?.layout === 'text' ? recorded.tokenizer : 'ptb');
  const layout = opts.bratLayout && opts.bratLayout !== 'auto' ? opts.bratLayout : opts.ace05 ? 'lines' : recorded?.layout ?? 'text';
  if (layout === 'text') return { layout: { layout, tokenizer }, ace05: false };
  return { layout: { layout }, ace05: opts.ace05 ?? (recorded?.layout === 'lines' && recorded.ace05 === true) };
}

/** The annotation.conf of the collection at `path` (`dir`: a directory, else one pair's file). */
const confOf = (path: string, dir: boolean) => join(dir ? path : dirname(path), CONF_FILE);

/** Whether reading `path` with `opts` cuts its raw text with a tokenizer (the `text` layout). */
export async function cutsBratText(path: string, opts: ReadingOptions): Promise<boolean> {
  return (await readingOf(path, opts)).layout.layout === 'text';
}

/** Whether reading `path` with `opts` reads it as LSTM-ER's ACE05 output: asked, or recorded by `split --ace05`. */
export async function readsAsAce05(path: string, opts: ReadingOptions): Promise<boolean> {
  return (await readingOf(path, opts)).ace05;
}

/**
 * The documents of the collection at `path` as `reading` reads it: as ACE05, LSTM-ER's `.split` pairs only
 * where it has some (LSTM-ER's corpus directories hold each document's unsplit `.txt` and `.ann` too,
 * which the paper does not read: counted, `brat-ace05-unsplit-pair-skipped`).
 */
async function documentPrefixes(path: string, reading: Reading, d: Diagnostics): Promise<string[]> {
  const all = await pairs(path, d);
  const split = all.filter((p) => p.endsWith('.split'));
  if (!reading.ace05 || !split.length) return all;
  for (const p of all) if (!p.endsWith('.split')) d.warn('brat-ace05-unsplit-pair-skipped', `${p}.ann: LSTM-ER's ACE05 output is read from its .split.txt and .split.ann files`);
  return split;
}

async function* read(path: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  if (opts.ace05 && opts.bratLayout === 'text') throw new UserError("--ace05 (data.ace05) reads LSTM-ER's output a sentence a line: it cannot be read with the brat layout text", { file: path });
  const reading = await readingOf(path, opts);
  const prefixes = await documentPrefixes(path, reading, opts.diagnostics);
  const triggerTypes = await readConfEventTypes(confOf(path, await isDirectory(path)));
  for (const prefix of prefixes) {
    // LSTM-ER's file names: read otherwise, their header and date lines are sentences (a `false` says so on purpose).
    if (!reading.ace05 && opts.ace05 === undefined && prefix.endsWith('.split'))
      opts.diagnostics.warn('brat-split-file-without-ace05', `${prefix}.txt is named as LSTM-ER's ACE05 output: read it with --ace05 (data.ace05), or its 3 header lines and date line are read as sentences`);
    yield { value: await readDoc(prefix, opts, reading, triggerTypes), loc: { file: `${prefix}.ann` } };
  }
}

/**
 * The documents `picked` of the collection at `path` (their positions in reading order, and their ids,
 * checked) written to the brat output `out` as copies of their files, as `entrel split` writes brat parts:
 * a split is by whole documents, so nothing needs rewriting, and nothing entrel does not read is lost
 * (attributes, notes, events, discontinuous entities, relations it reads across sentences, annotation
 * ids). The collection's annotation.conf comes along (`copiedConf`: recording the layout `opts` read the
 * collection with); without one, the schema's is written (`confText`).
 */
export async function copyDocuments(path: string, opts: ReadingOptions, schema: LabelSchema, picked: readonly { at: number; id: string }[], out: string): Promise<void> {
  const reading = await readingOf(path, opts);
  const prefixes = await documentPrefixes(path, reading, new Diagnostics()); // what it counts, reading the collection did
  const { layout, ace05 } = reading;
  // LSTM-ER's files read as ACE05: the part's conf says so, and the part reads so without --ace05.
  const recorded: RecordedLayout = ace05 ? { layout: 'lines', ace05 } : layout;
  const own = await confFileText(confOf(path, await isDirectory(path)));
  await writeDirAtomic(out, 'the brat output', async (tmp) => {
    for (const { at, id } of picked) {
      const name = basename(prefixes[at]);
      if (docId(name, ace05) !== id) throw new Error(`document ${at} of ${path} is ${name}, not ${id}`);
      // Read as the reader reads them (readCollectionFile): a file swapped meanwhile is refused as it would be.
      for (const ext of ['.txt', '.ann']) await writeFile(join(tmp, name + ext), await readCollectionFile(prefixes[at] + ext));
    }
    await writeFile(join(tmp, CONF_FILE), own === undefined ? confText(schema, recorded) : copiedConf(own, recorded));
  });
}

/**
 * Where Python's `str.splitlines` ends a line: brat reads an `.ann` file by those lines, so a text column
 * holding one of them is cut in two (and the sentence splitter reads `\v`, `\f`, U+0085, U+2028 and
 * U+2029 as line breaks too, which an entity may span).
 */
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
const BLANK = /^[\s\p{Cc}]*$/u;
/**
 * What parts the fragments of one entity written over line breaks: white space (or controls) with a line
 * break. Two regexes: as one (`^blank*break blank*$`) it backtracks quadratically on a long gap.
 */
const isBreakGap = (gap: string) => BLANK.test(gap) && LINE_BREAK.test(gap);

/**
 * An entity's `T` line: its span as fragments around the line breaks in it (brat's text-bound spans cannot
 * cross one; the reader joins fragments that only a line break parts), offsets in code points
 * (`cp`: codePointOffsets of the text).
 */
export function entityLine(id: string, type: string, text: string, start: number, end: number, cp: (utf16: number) => number): string {
  const fragments: [number, number][] = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i === end || LINE_BREAK.test(text[i])) {
      if (i > from) fragments.push([from, i]);
      from = i + 1;
    }
  }
  if (!fragments.length) fragments.push([start, end]);
  const offsets = fragments.map(([a, b]) => `${cp(a)} ${cp(b)}`).join(';');
  return `${id}\t${type} ${offsets}\t${fragments.map(([a, b]) => text.slice(a, b)).join(' ')}`;
}

/**
 * A file name from a document id, not yet in `used` (where it is added; `_2`, `_3`, … tell ids apart that
 * come out the same): path separators and other unsafe characters become `_`, and it is cut to 200
 * characters (ASCII), so that it fits the 255-byte name limit with `_2`, `.ann` and a temporary suffix.
 */
export function fileNameFor(id: string, used: Set<string>): string {
  const safe = (id.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_') || '_').slice(0, 200);
  let name = safe;
  for (let k = 2; used.has(name); k++) name = `${safe}_${k}`;
  used.add(name);
  return name;
}

/**
 * brat types are one whitespace-free token (`T1\tTYPE START END`, `R1\tTYPE Arg1:… Arg2:…`): a type with a
 * space was written, and then refused by our own reader. Refused here instead, naming document and type.
 */
function checkLabels(doc: Document): void {
  refuseUnreadable(doc, 'brat');
  eachLabel(doc, (what, label) => {
    if (/\s/.test(label)) unwritableLabel('brat', doc, what, label, 'contains whitespace, which brat types cannot hold', label.trim().replace(/\s+/g, '_'));
    if (/^[!<#[]/.test(label)) unwritableLabel('brat', doc, what, label, "starts with '!', '<', '#' or '[', which annotation.conf reads as markup", label.replace(/^[!<#[]+/, ''));
  });
}

function annotations(doc: Document): string {
  const out: string[] = [];
  const tid = new Map<string, string>();
  const cp = codePointOffsets(doc.text);
  for (const s of doc.sentences)
    for (const e of s.entities) {
      const id = `T${tid.size + 1}`;
      tid.set(e.id, id);
      out.push(entityLine(id, e.type, doc.text, s.tokens[e.start].start, s.tokens[e.end - 1].end, cp));
    }
  let n = 0;
  for (const s of doc.sentences)
    for (const r of s.relations) {
      const [a1, a2] = [tid.get(r.head), tid.get(r.tail)];
      if (a1 === undefined || a2 === undefined) {
        const [role, id] = a1 === undefined ? ['head', r.head] : ['tail', r.tail];
        throw new UserError(`relation ${role} ${quote(id)} is not an entity of document ${quote(doc.id)}`);
      }
      out.push(`R${++n}\t${r.type} Arg1:${a1} Arg2:${a2}`);
    }
  return out.map((l) => l + '\n').join('');
}

/**
 * What reading the pair back with the `lines` layout changes, counted in `d`: sentences are the lines of
 * the text (so sentences sharing a line merge, a sentence over several lines splits, one without tokens is
 * lost) and tokens the whitespace-separated pieces (so other tokens are re-cut, and their entities widened).
 */
function linesChanges(doc: Document, d: Diagnostics): void {
  const text = doc.text;
  let line = 0;
  let at = 0;
  const lineAt = (pos: number) => { // tokens come in text order, so `pos` only grows
    for (; at < pos; at++) if (text[at] === '\n') line++;
    return line;
  };
  const lost = (what: string) => d.warn('brat-sentence-boundary-not-kept', `${quote(doc.id)}: ${what}`);
  let prevLine = -1;
  doc.sentences.forEach((s, i) => {
    if (!s.tokens.length) return lost(`sentence ${i} has no tokens (not read back)`);
    const first = lineAt(s.tokens[0].start);
    const last = lineAt(s.tokens[s.tokens.length - 1].end - 1);
    if (first === prevLine) lost(`sentence ${i} shares line ${first + 1} with the one before (read back as one)`);
    if (last !== first) lost(`sentence ${i} spans lines ${first + 1}–${last + 1} (read back as ${last - first + 1})`);
    prevLine = last;
  });
  const pieces = text.matchAll(/\S+/g);
  for (const t of doc.sentences.flatMap((s) => s.tokens)) {
    const p = pieces.next().value;
    if (p?.index !== t.start || p[0].length !== t.end - t.start)
      return d.warn('brat-tokens-not-kept', `${quote(doc.id)}: token ${quote(text.slice(t.start, t.end))} at ${t.start} is read back as ${p ? quote(p[0]) : 'nothing'}`);
  }
  if (!pieces.next().done) d.warn('brat-tokens-not-kept', `${quote(doc.id)}: text outside the sentences is read back as tokens`);
}

/** The pairs of `docs` and the schema's annotation.conf, written into `out` (a fresh directory: `brat.write` swaps it in). */
async function writePairs(docs: Source<Document>, schema: LabelSchema, out: string, diagnostics?: Diagnostics): Promise<void> {
  // An in-memory corpus is checked whole first, so that a bad type leaves no directory half-written;
  // a stream is checked a document at a time, before that document's files are written.
  if (Array.isArray(docs)) (docs as readonly Document[]).forEach(checkLabels);
  const used = new Set<string>();
  // annotation.conf declares the schema's types and any type a document has beyond them.
  const declared = growingSchema(schema);
  // The layout recorded is the one that reads the most documents back unchanged (ties: lines, exact for
  // token data, then ptb); only its changes are reported.
  const candidates: { layout: RecordedLayout; count: (doc: Document, d: Diagnostics) => void; changes: Diagnostics; changed: number }[] = [
    { layout: { layout: 'lines' }, count: linesChanges, changes: new Diagnostics(), changed: 0 },
    ...(['ptb', 'conll04'] as const).map((tokenizer) => ({
      layout: { layout: 'text', tokenizer } as const,
      count: (doc: Document, d: Diagnostics) => countSplitChanges(doc, d, { sentences: 'brat-sentence-boundary-not-kept', tokens: 'brat-tokens-not-kept' }, tokenizer),
      changes: new Diagnostics(),
      changed: 0,
    })),
  ];
  for await (const doc of docs) {
    checkLabels(doc);
    declared.add(doc);
    // an empty .txt is refused by the reader: the whole directory would be unreadable
    if (doc.text.trim() === '') {
      diagnostics?.warn('empty-document-dropped', quote(doc.id));
      continue;
    }
    const name = fileNameFor(doc.id, used);
    if (name !== doc.id) diagnostics?.warn('document-id-renamed', `${quote(doc.id)} → ${quote(name)} (its file name)`);
    for (const c of candidates) {
      const before = c.changes.count();
      c.count(doc, c.changes);
      if (c.changes.count() > before) c.changed++;
    }
    await writeAtomic(join(out, `${name}.txt`), [doc.text]);
    await writeAtomic(join(out, `${name}.ann`), [annotations(doc)]);
  }
  const best = candidates.reduce((a, c) => (c.changed < a.changed ? c : a));
  diagnostics?.absorb(best.changes);
  await writeAtomic(join(out, CONF_FILE), [confText(declared.schema, best.layout)]);
}

/**
 * A brat output replaces its directory whole (atomic.ts), so that no pair of an earlier output is read
 * back with the new documents. A directory holding anything but `.txt`/`.ann` pairs and the annotation.conf
 * entrel wrote or copied (a split's part) is not an earlier output but the user's (notes, a brat project's
 * annotation.conf, brat's `.stats_cache`, sub-collections): refused, not deleted.
 */
export function refuseForeignDirectory(out: string): void {
  let names: string[];
  try {
    names = readdirSync(out);
  } catch {
    return; // absent; a file in the way is writeDirAtomic's error
  }
  const has = new Set(names);
  const pair = (n: string) => /\.(txt|ann)$/.test(n) && has.has(n.slice(0, -4) + (n.endsWith('.txt') ? '.ann' : '.txt'));
  const ours = (n: string) => n === CONF_FILE && isEntrelConf(opening(join(out, n)));
  const other = names.filter((n) => !pair(n) && !ours(n));
  if (other.length)
    throw new UserError(`holds ${quote(other[0])}${other.length > 1 ? ` and ${other.length - 1} more` : ''}, which is not a brat .txt/.ann pair: a brat output replaces the whole directory, so choose a new or empty one`, { file: out });
}

/**
 * The first bytes of `file` as text (enough for isEntrelConf's marks), or '' where it is no regular file
 * (opened without waiting: a named pipe in the way must not hang the writer).
 */
function opening(file: string): string {
  if (!lstatSync(file).isFile()) return '';
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(512);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export const brat: Format = {
  name: 'brat',
  description: 'brat standoff .txt + .ann (a directory of pairs or one pair); --ace05 for LSTM-ER ACE05 output',
  read,
  schema: async (file, opts) => {
    if (await readsAsAce05(file, opts)) return ACE05_SCHEMA;
    const conf = confOf(file, await isDirectory(file));
    const declared = await readConf(conf);
    return declared && { ...declared, source: conf };
  },
  write: async (docs, schema, out, diagnostics) => {
    refuseForeignDirectory(out);
    await writeDirAtomic(out, 'the brat output', (tmp) => writePairs(docs, schema, tmp, diagnostics));
  },
};
