/**
 * The brat reader (the format is described in brat.ts): a collection's pairs (brat-collection.ts), each
 * `.ann` read against its `.txt`, the text cut by the layout (`lines`: brat-lines.ts; `text`: spans.ts
 * placeOnText) that the options ask for or the collection's annotation.conf records (brat-conf.ts).
 */
import { basename, dirname, join } from 'node:path';
import { quote, UserError, type ErrorLocation } from '../../errors.js';
import { decodeUtf8File } from '../decode-file.js';
import { isDirectory } from '../dirs.js';
import type { Located } from '../located.js';
import { fail } from '../validate.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Document } from '../corpus.js';
import { CONF_FILE, readCollectionFile, readConfEventTypes, readConfLayout } from './brat-conf.js';
import { pairPrefixes } from './brat-collection.js';
import { isBreakGap } from './brat-fragments.js';
import { onLines, type Annotation } from './brat-lines.js';
import { outOfTextOrder } from './ace05.js';
import { attachRelations, fromCodePoints, placeOnText, type CharRelation } from './spans.js';
import type { ReadOptions } from './types.js';

/**
 * A file of at most MAX_DOCUMENT_BYTES (readCollectionFile), strict UTF-8, so a bad byte is reported with
 * its line and where in it (decodeUtf8File). A `.txt`'s byte-order mark (`keepBom`) is kept as its first
 * character (whitespace to the tokenizer): brat counts it in the `.ann` offsets.
 */
async function readText(file: string, keepBom = false): Promise<string> {
  return decodeUtf8File(await readCollectionFile(file), file, keepBom);
}

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
export const docId = (name: string, ace05: boolean) => (ace05 ? name.replace(/\.split$/, '') : name);

/**
 * How a collection is read: how its `.txt` files are cut into sentences and tokens (ReadOptions.bratLayout,
 * and the tokenizer of `text`), and whether as LSTM-ER's ACE05 output.
 */
interface Reading {
  layout: { layout: 'lines' } | { layout: 'text'; tokenizer: 'ptb' | 'conll04' };
  ace05: boolean;
}

/** The reading options that choose it. */
export type ReadingOptions = Pick<ReadOptions, 'ace05' | 'bratLayout' | 'tokenizer'>;

/**
 * How to read `path`: the layout asked for; else `lines` for LSTM-ER's ACE05 output; else the one the
 * collection's annotation.conf records (entrel writes it: brat-conf.ts); else `text`, as brat collections
 * are annotated raw text. As ACE05 where asked (`ace05`), else where the conf records it of the `lines`
 * layout read (a part `split --ace05` wrote; `ace05: false` reads it otherwise).
 */
export async function readingOf(path: string, opts: ReadingOptions): Promise<Reading> {
  const recorded = opts.ace05 ? undefined : await readConfLayout(confOf(path, await isDirectory(path)));
  // The tokenizer given (the model's, a config's) cuts what that model will see; else the one recorded.
  const tokenizer = opts.tokenizer ?? (recorded?.layout === 'text' ? recorded.tokenizer : 'ptb');
  const layout = opts.bratLayout && opts.bratLayout !== 'auto' ? opts.bratLayout : opts.ace05 ? 'lines' : recorded?.layout ?? 'text';
  if (layout === 'text') return { layout: { layout, tokenizer }, ace05: false };
  return { layout: { layout }, ace05: opts.ace05 ?? (recorded?.layout === 'lines' && recorded.ace05 === true) };
}

/** The annotation.conf of the collection at `path` (`dir`: a directory, else one pair's file). */
export const confOf = (path: string, dir: boolean) => join(dir ? path : dirname(path), CONF_FILE);

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
export async function documentPrefixes(path: string, reading: Reading, d: Diagnostics): Promise<string[]> {
  const all = await pairPrefixes(path, d);
  const split = all.filter((p) => p.endsWith('.split'));
  if (!reading.ace05 || !split.length) return all;
  for (const p of all) if (!p.endsWith('.split')) d.warn('brat-ace05-unsplit-pair-skipped', `${p}.ann: LSTM-ER's ACE05 output is read from its .split.txt and .split.ann files`);
  return split;
}

export async function* readBrat(path: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
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

