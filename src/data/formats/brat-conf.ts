/**
 * brat's `annotation.conf`, the label schema of a brat collection: `[entities]` lists entity types,
 * `[relations]` relation types with their arguments and flags (`<REL-TYPE>:symmetric`), `[events]` event
 * types (their triggers are `T` lines too, which the reader drops). brat needs it to
 * offer the right types when a user corrects entrel's output; entrel reads it back so that a brat round
 * trip keeps the schema (type order, symmetric relation types). Only the directory's own file is read
 * (brat would also look in parent directories).
 */
import { byteSize } from '../byte-size.js';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { quote, UserError } from '../../errors.js';
import type { LabelSchema } from '../corpus.js';
import { MAX_DOCUMENT_BYTES } from '../document-size.js';
import { readFileBounded } from '../data-file.js';

export const CONF_FILE = 'annotation.conf';

/** The first line of a conf entrel wrote: a brat output directory holding it is entrel's to replace. */
export const CONF_MARK = '# Written by entrel from the label schema of the corpus.';

/** The first line of a collection's conf entrel copied into a part of it (`entrel split`), above the copy. */
export const COPY_MARK = '# Copied by entrel split from the collection it split; its conf follows the next line.';

/** Whether `text` is a conf entrel wrote or copied (CONF_MARK, COPY_MARK). */
export const isEntrelConf = (text: string) => text.startsWith(CONF_MARK) || text.startsWith(COPY_MARK);

/**
 * How a collection's `.txt` files read back (brat.ts): `lines` where each is a sentence a line with tokens
 * between spaces (`ace05`: LSTM-ER's ACE05 output, read as `--ace05` reads it); `text` where they hold raw
 * text, cut as `extract` cuts it with `tokenizer`.
 */
export type RecordedLayout = { layout: 'lines'; ace05?: boolean } | { layout: 'text'; tokenizer: 'ptb' | 'conll04' };

/** The conf line that records it. */
const LAYOUT_LINE = /^# entrel layout: (lines|text)(?:, tokenizer (ptb|conll04))?(, ace05)?\b/m;
const layoutLine = (l: RecordedLayout) => {
  if (l.layout === 'text') return `# entrel layout: text, tokenizer ${l.tokenizer} (raw text, split into sentences and tokens as entrel extract does)`;
  return l.ace05
    ? "# entrel layout: lines, ace05 (LSTM-ER's ACE05 output, read as --ace05 reads it: 3 header lines and a date line skipped, PER-SOC in text order)"
    : '# entrel layout: lines (a sentence a line, tokens between spaces)';
};

/**
 * The conf for `schema`: every relation may join any two entities (the data, not the conf, says which);
 * `layout` is how entrel should read the `.txt` files back.
 */
export function confText(schema: LabelSchema, layout: RecordedLayout): string {
  for (const t of [...schema.entityTypes, ...schema.relationTypes.map((r) => r.name)])
    if (t === '' || /\s/.test(t) || /^[!<#[]/.test(t))
      throw new UserError(`cannot write ${CONF_FILE}: type ${quote(t)} is not a brat type name (no whitespace, no leading '!', '<', '#' or '['); rename it in the input`);
  const relation = (r: LabelSchema['relationTypes'][number]) => `${r.name}\tArg1:<ENTITY>, Arg2:<ENTITY>${r.symmetric ? ', <REL-TYPE>:symmetric' : ''}`;
  return [CONF_MARK, layoutLine(layout), '[entities]', ...schema.entityTypes, '', '[relations]', ...schema.relationTypes.map(relation), '', '[events]', '', '[attributes]', ''].join('\n');
}

/**
 * A collection's conf `original` for a part of it (`entrel split`): marked, so that the next split may
 * replace the part, and recording `layout`, the one the collection was read with, so that the part reads
 * the same (an entrel conf's own mark and layout line give way to these).
 */
export function copiedConf(original: string, layout: RecordedLayout): string {
  const own = isEntrelConf(original) ? original.replace(/^.*\n(# entrel layout:.*\n)?/, '') : original;
  return [COPY_MARK, layoutLine(layout), own].join('\n');
}

/**
 * The bytes of a file of a collection (its `.txt`, `.ann` or annotation.conf), at most MAX_DOCUMENT_BYTES
 * (data-file.ts readFileBounded): a regular file, or a symbolic link to one inside the collection's
 * directory (the one holding `file`). Anything else is refused naming it: a link out of the collection (a stranger's
 * `doc.txt -> /etc/hostname` would be read into the corpus), a named pipe (it waits for ever), a device
 * (/dev/zero never ends).
 */
export const readCollectionFile = (file: string, refuse?: (bytes: number, moreThan: boolean) => UserError): Promise<Buffer> =>
  readFileBounded(file, { within: dirname(file), refuse });

/**
 * The text of a conf file (readCollectionFile: entrel split copies it into each part, so a link out of the
 * collection would carry a file of this machine into them), or undefined when there is none.
 */
export async function confFileText(file: string): Promise<string | undefined> {
  const there = await stat(file).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
  const refuse = () => new UserError(`too large: more than ${byteSize(MAX_DOCUMENT_BYTES)}, which no annotation.conf needs`, { file });
  return there ? (await readCollectionFile(file, refuse)).toString('utf8') : undefined;
}

/** What a conf declares: its schema, and its event types (`[events]`), whose `T` lines are event triggers. */
interface ConfTypes extends Pick<LabelSchema, 'entityTypes' | 'relationTypes'> {
  eventTypes: string[];
}

/**
 * The types `file` declares, or undefined when there is none. Indented (hierarchical) types count as
 * types; `!Group` names and `<MACRO>` lines are not types. A relation is symmetric when its
 * `<REL-TYPE>` flags include `symmetric` (`symmetric-transitive` too). An event type is the first word of
 * its line, before its arguments (`Join\tAgent:Person, Place?:Loc`).
 */
async function readConfTypes(file: string): Promise<ConfTypes | undefined> {
  const text = await confFileText(file);
  if (text === undefined) return undefined;
  const types: ConfTypes = { entityTypes: [], relationTypes: [], eventTypes: [] };
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1];
      return;
    }
    if (line.startsWith('<') || line.startsWith('!')) return;
    const name = line.split(/\s/)[0];
    if (section === 'entities') types.entityTypes.push(name);
    else if (section === 'relations') {
      const flags = /<REL-TYPE>:([\w-]+)/.exec(line)?.[1].split('-') ?? [];
      types.relationTypes.push({ name, symmetric: flags.includes('symmetric') });
    } else if (section === 'events') types.eventTypes.push(name);
    else if (section === '') throw new UserError(`${quote(line)} comes before any [section] header`, { file, line: i + 1 });
  });
  return types;
}

/** The schema `file` declares (readConfTypes), or undefined when there is none. */
export async function readConf(file: string): Promise<Pick<LabelSchema, 'entityTypes' | 'relationTypes'> | undefined> {
  const types = await readConfTypes(file);
  return types && { entityTypes: types.entityTypes, relationTypes: types.relationTypes };
}

/**
 * The event types `file` declares (none without a conf): a `T` line of one is an event's trigger, not an
 * entity. A type declared as an entity type too is left out: its `T` lines are entities unless an `E` line
 * names them.
 */
export async function readConfEventTypes(file: string): Promise<Set<string>> {
  const types = await readConfTypes(file);
  const entities = new Set(types?.entityTypes);
  return new Set(types?.eventTypes.filter((t) => !entities.has(t)));
}

/**
 * The layout a conf records: its layout line; `lines` for a conf entrel wrote before it recorded one (it
 * wrote token data a sentence a line); undefined for another conf, or none.
 */
export async function readConfLayout(file: string): Promise<RecordedLayout | undefined> {
  const text = await confFileText(file);
  if (text === undefined) return undefined;
  if (!isEntrelConf(text)) return undefined;
  const m = LAYOUT_LINE.exec(text);
  if (m?.[1] === 'text') return { layout: 'text', tokenizer: (m[2] as 'ptb' | 'conll04' | undefined) ?? 'ptb' };
  return m?.[3] ? { layout: 'lines', ace05: true } : { layout: 'lines' };
}
