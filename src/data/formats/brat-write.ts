/**
 * The brat writer: a `.txt`/`.ann` pair a document (offsets in code points) and an annotation.conf that
 * declares the types and records the layout that reads the pairs back best; and the guard that keeps a
 * brat output from replacing a directory of the user's.
 */
import { closeSync, constants, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { quote, UserError } from '../../errors.js';
import { writeAtomic, type Source } from '../write.js';
import { Diagnostics } from '../diagnostics.js';
import type { Document, LabelSchema } from '../corpus.js';
import { CONF_FILE, confText, isEntrelConf, type RecordedLayout } from './brat-conf.js';
import { entityLine } from './brat-fragments.js';
import { codePointOffsets, countSplitChanges } from './spans.js';
import { eachLabel, growingSchema, refuseUnreadable, unwritableLabel } from './common.js';

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
 * lost, and a relation whose arguments start on two lines is lost) and tokens the whitespace-separated
 * pieces (so other tokens are re-cut, and their entities widened).
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
    const lines = s.tokens.map((t) => lineAt(t.start));
    const first = lines[0];
    const last = lineAt(s.tokens[s.tokens.length - 1].end - 1);
    if (first === prevLine) lost(`sentence ${i} shares line ${first + 1} with the one before (read back as one)`);
    if (last !== first) lost(`sentence ${i} spans lines ${first + 1}–${last + 1} (read back as ${last - first + 1})`);
    prevLine = last;
    const lineOf = new Map(s.entities.map((e) => [e.id, lines[e.start]]));
    for (const r of s.relations)
      if (lineOf.get(r.head) !== lineOf.get(r.tail)) d.warn('relation-not-kept', `${quote(doc.id)}: ${r.type} (its arguments are read back in two sentences)`);
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
export async function writePairs(docs: Source<Document>, schema: LabelSchema, out: string, diagnostics?: Diagnostics): Promise<void> {
  // An in-memory corpus is checked whole first, so that a bad type leaves no directory half-written;
  // a stream is checked a document at a time, before that document's files are written.
  if (Array.isArray(docs)) (docs as readonly Document[]).forEach(checkLabels);
  const used = new Set<string>();
  // annotation.conf declares the schema's types and any type a document has beyond them.
  const declared = growingSchema(schema);
  // The layout recorded is the one that loses the fewest relations, then reads the most documents back
  // unchanged (ties: lines, exact for token data, then ptb); only its changes are reported.
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
  const lostRelations = (c: (typeof candidates)[number]) => c.changes.count('relation-not-kept');
  const best = candidates.reduce((a, c) => (lostRelations(c) < lostRelations(a) || (lostRelations(c) === lostRelations(a) && c.changed < a.changed) ? c : a));
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

