/** SpERT's types file: `{entities: {Type: {short, verbose}}, relations: {Type: {short, verbose, symmetric}}}`. */
import { byteSize } from '../byte-size.js';
import { access, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { LabelSchema } from '../corpus.js';
import type { Diagnostics } from '../diagnostics.js';
import { UserError } from '../../errors.js';
import { decodeUtf8File } from '../decode-file.js';
import { MAX_DOCUMENT_BYTES } from '../document-size.js';
import { parseJsonFile } from '../parse-json.js';
import { readFileBounded } from '../data-file.js';
import { parseWith } from '../validate.js';
import type { DeclaredSchema, ReadOptions } from './types.js';

// The two maps are checked entry by entry below: zod builds a record by assignment, so an entry named
// `__proto__` (an own key of the parsed JSON) became the record's prototype, unchecked and lost.
const TypesFile = z.object({
  entities: z.record(z.string(), z.unknown()),
  relations: z.record(z.string(), z.unknown()),
});
const EntityEntry = z.object({}).loose();
const RelationEntry = z.object({ symmetric: z.boolean().optional() }).loose();

/**
 * The schema of the types file `file`: a regular file (or a symbolic link to one, anywhere: a data
 * directory is often put together from links, and a types file only names types), of at most
 * MAX_DOCUMENT_BYTES; a named pipe (it is read more than once, and one found beside a data file would wait
 * for ever), a device or a socket is refused naming it.
 */
export async function readTypesFile(file: string): Promise<LabelSchema> {
  const refuse = () => new UserError(`too large: more than ${byteSize(MAX_DOCUMENT_BYTES)}, which no types file needs`, { file });
  const text = decodeUtf8File(await readFileBounded(file, { refuse }), file);
  const value = parseJsonFile(text, file);
  parseWith(TypesFile, value, { file });
  const raw = value as { entities: Record<string, unknown>; relations: Record<string, unknown> };
  const entityTypes = Object.entries(raw.entities).map(([name, e]) => {
    parseWith(EntityEntry, e, { file }, ['entities', name]);
    return name;
  });
  const relationTypes = Object.entries(raw.relations).map(([name, r]) => ({
    name,
    symmetric: parseWith(RelationEntry, r, { file }, ['relations', name]).symmetric ?? false,
  }));
  return { entityTypes, relationTypes };
}

/**
 * The types file SpERT keeps beside a data file, in this order: `NAME_types.json` for `NAME.json` (what
 * our writers write, `typesFileFor`); else the `X_types.json` whose X is the longest prefix of NAME ending
 * at a `_` (SpERT's own layout: `scierc_types.json` beside `scierc_joint_er_test.json`); else the only
 * `*_types.json` in the directory. The exact name and the prefix come first: a directory holding several
 * files with their types files (gold and predictions side by side, a `convert --to spert` output) would
 * otherwise give none, and the symmetric flags would be lost without a word. When several candidates are
 * left and none fits the name, none is read, and `diagnostics` (if given) counts `types-file-ambiguous`
 * naming them, once per data file.
 */
export async function findTypesFile(dataFile: string, diagnostics?: Diagnostics): Promise<string | undefined> {
  return (await typesFileBeside(dataFile, diagnostics))?.file;
}

/**
 * findTypesFile's types file, and whether it was taken only as the only one in the directory (`alone`):
 * nothing in its name ties it to the data, so the reader checks it declares some of the data's types.
 */
export async function typesFileBeside(dataFile: string, diagnostics?: Diagnostics): Promise<{ file: string; alone: boolean } | undefined> {
  const own = typesFileFor(dataFile);
  if (await access(own).then(() => true, () => false)) return { file: own, alone: false };
  const dir = dirname(dataFile);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(TYPES_SUFFIX)).sort();
  const stem = basename(own).slice(0, -TYPES_SUFFIX.length);
  const prefixes = names.filter((n) => stem.startsWith(n.slice(0, -TYPES_SUFFIX.length) + '_'));
  const longest = prefixes.sort((a, b) => b.length - a.length)[0];
  if (longest !== undefined) return { file: join(dir, longest), alone: false };
  if (names.length === 1) return { file: join(dir, names[0]), alone: true };
  if (names.length > 1 && diagnostics) warnAmbiguous(dataFile, names, diagnostics);
  return undefined;
}

const TYPES_SUFFIX = '_types.json';

/** The data files each Diagnostics has been told about: a read consults the schema more than once. */
const warnedAbout = new WeakMap<Diagnostics, Set<string>>();

function warnAmbiguous(dataFile: string, names: string[], diagnostics: Diagnostics): void {
  const warned = warnedAbout.get(diagnostics) ?? new Set<string>();
  warnedAbout.set(diagnostics, warned);
  if (warned.has(dataFile)) return;
  warned.add(dataFile);
  const shown = names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  diagnostics.warn('types-file-ambiguous', `${dataFile}: read without a types file (no symmetric relations, no declared types): ${names.length} in its directory (${shown}) and none is named ${basename(typesFileFor(dataFile))} or after a prefix of it; --types FILE picks one`);
}

/** The schema of a SpERT file's types file: `opts.typesFile`, else the one beside it (typesFileBeside), naming it. */
export async function typesFileSchema(dataFile: string, opts: ReadOptions): Promise<DeclaredSchema | undefined> {
  const found = opts.typesFile === undefined ? await typesFileBeside(dataFile, opts.diagnostics) : { file: opts.typesFile, alone: false };
  return found && { ...(await readTypesFile(found.file)), source: found.file, alone: found.alone };
}

/** Where a writer puts the types file for `out`: `name.json` or `name.jsonl` → `name_types.json`. */
export function typesFileFor(out: string): string {
  return join(dirname(out), basename(out).replace(/\.jsonl?$/, '') + '_types.json');
}

/** The SpERT-style types file of a schema (what `readTypesFile` reads back). */
export function typesFileText(schema: LabelSchema): string {
  const entities = Object.fromEntries(schema.entityTypes.map((t) => [t, { short: t, verbose: t }]));
  const relations = Object.fromEntries(
    schema.relationTypes.map((r) => [r.name, { short: r.name, verbose: r.name, symmetric: r.symmetric }]),
  );
  return JSON.stringify({ entities, relations }, null, 2) + '\n';
}
