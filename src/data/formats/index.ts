/**
 * The format registry: names, detection from content, and the entry points the CLI calls
 * (`readCorpus`, `loadCorpus`, `writeCorpus`).
 */
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { checkOptions, described, UserError, quote } from '../../errors.js';
import { checkLabelSchema, inferSchema, type Document, type LabelSchema } from '../corpus.js';
import { Diagnostics } from '../diagnostics.js';
import { ioError } from '../io-error.js';
import { isDirectory } from '../dirs.js';
import { readJsonArray } from '../json-array.js';
import { readJsonLines } from '../json-lines.js';
import type { Source } from '../write.js';
import { warningTypos } from '../type-typos.js';
import { ACE05_FORMATS } from './ace05.js';
import { brat } from './brat.js';
import { cutsBratText } from './brat-read.js';
import { checkDocuments } from './checks.js';
import { doccano } from './doccano.js';
import { dygie } from './dygie.js';
import { jsonl } from './jsonl.js';
import { labelConfigFor, labelstudio } from './labelstudio.js';
import { multihead } from './multihead.js';
import { nyt } from './nyt.js';
import { spert } from './spert.js';
import { spertTags } from './spert-tags.js';
import { findTypesFile, readTypesFile, typesFileFor } from './types-file.js';
import { unified } from './unified.js';
import type { DeclaredSchema, Format, ReadOptions } from './types.js';

export type { ReadOptions } from './types.js';

/** The formats of raw text with character offsets, cut into sentences and tokens as `extract` cuts text (spans.ts). */
const RAW_TEXT: ReadonlySet<string> = new Set(['doccano', 'labelstudio']);

const ALL: Format[] = [jsonl, unified, spert, spertTags, dygie, nyt, brat, multihead, doccano, labelstudio];
export const FORMATS: readonly string[] = ALL.map((f) => f.name);
/** Formats `writeCorpus` can produce. */
export const WRITABLE_FORMATS: readonly string[] = ALL.filter((f) => f.write).map((f) => f.name);

/**
 * Whether reading `file` with `opts` cuts raw text into tokens (doccano, Label Studio, brat's `text`
 * layout), so that a tokenizer style applies; the other formats' tokens are given.
 */
export async function readsRawText(file: string, opts: CorpusOptions = {}): Promise<{ format: string; raw: boolean }> {
  const format = opts.format ?? (await detectFormat(file));
  return { format, raw: RAW_TEXT.has(format) || (format === 'brat' && (await cutsBratText(file, opts))) };
}

export function getFormat(name: string): Format {
  const f = ALL.find((x) => x.name === name);
  if (!f) throw new UserError(`unknown format "${name}" (known: ${FORMATS.join(', ')})`);
  return f;
}

async function firstBytes(file: string, n = 4096): Promise<string> {
  let fh;
  try {
    fh = await open(file, 'r');
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  } catch (e) {
    // A pipe gives its start once: detection would take it from the reader.
    if ((e as NodeJS.ErrnoException).code === 'ESPIPE')
      throw new UserError(`a pipe, whose format cannot be detected without taking its start from the reader: name it with --format (one of ${FORMATS.join(', ')})`, { file });
    throw ioError(file, e);
  } finally {
    await fh?.close();
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** How many records of a JSON array detection reads to tell unified from SpERT (records without entities say nothing). */
const DETECTION_RECORDS = 100;

/**
 * The format of `file` from its content (a directory, or a `.ann`/`.txt` file not in "#doc" TSV, is brat).
 * A JSON array of token records is SpERT where its first record with an entity or a relation writes it as
 * an object (or a record has SpERT's `orig_id`), unified where as a list; without either in its first
 * DETECTION_RECORDS records, unified.
 */
export async function detectFormat(file: string): Promise<string> {
  return (await detect(file)).name;
}

/**
 * detectFormat, and whether the content only suggests the format (`guessed`): a JSON array of token records
 * taken for unified without an entity or relation that says so. A reading error then says it was a guess.
 */
async function detect(file: string): Promise<{ name: string; guessed: boolean }> {
  const known = (name: string) => ({ name, guessed: false });
  const guess = { name: 'unified', guessed: true };
  if (await isDirectory(file)) return known('brat');
  const head = await firstBytes(file);
  if (head.startsWith('#doc')) return known('multihead');
  // brat's own names, and those in another case (doc.ANN) that hold brat: the brat reader asks for the rename.
  if (/\.(ann|txt)$/.test(file) || (/\.(ann|txt)$/i.test(file) && bratInAnotherCase(file, head))) return known('brat');
  const unknown = (why: string) =>
    new UserError(`cannot detect the format (${why}); name it with --format (one of ${FORMATS.join(', ')})`, { file });
  if (head === '') throw new UserError('empty file', { file });
  if (head.startsWith('[')) {
    const notTokens = () => unknown('a JSON array whose first record has neither "tokens", "tags" nor Label Studio\'s "data" and "annotations"');
    let records = 0;
    for await (const { value: v } of readJsonArray(file)) {
      if (records++ === 0) {
        if (isObj(v) && isObj(v.data) && (Array.isArray(v.annotations) || Array.isArray(v.predictions))) return known('labelstudio');
        if (!isObj(v) || !(Array.isArray(v.tokens) || Array.isArray(v.tags))) throw notTokens();
        if (Array.isArray(v.tags)) return known('spert-tags');
      }
      // unified writes an entity or a relation as a list, SpERT as an object
      if (!isObj(v) || records > DETECTION_RECORDS) return guess;
      if ('orig_id' in v) return known('spert');
      const item = [v.entities, v.relations].find((a) => Array.isArray(a) && a.length) as unknown[] | undefined;
      if (item) return known(isObj(item[0]) ? 'spert' : 'unified');
    }
    if (records) return guess;
    throw notTokens();
  }
  if (head.startsWith('{')) {
    for await (const { value: v } of readJsonLines(file)) {
      if (!isObj(v)) break;
      if ('doc_key' in v && 'sentences' in v) return known('dygie');
      if ('sentText' in v && 'entityMentions' in v) return known('nyt');
      if ('text' in v && 'sentences' in v) return known('jsonl');
      if (typeof v.text === 'string' && ['entities', 'label', 'labels', 'relations'].some((k) => Array.isArray(v[k]))) return known('doccano');
      break;
    }
    throw unknown('JSON Lines whose first line has none of "doc_key", "sentText", "text"+"sentences", "text"+"entities" (or "label", "labels", "relations")');
  }
  throw unknown('neither JSON, JSON Lines, "#doc" TSV nor brat');
}

/**
 * Whether `file`, named .ANN, .Txt… (not brat's own lower case), is a brat file in another case: its partner
 * is beside it (doc.TXT beside doc.ANN, in any case), or it is not JSON, which another case of .txt may hold
 * (`data.TXT` of JSON Lines, read by its content as before brat's other cases were known).
 */
function bratInAnotherCase(file: string, head: string): boolean {
  if (!head.startsWith('[') && !head.startsWith('{')) return true;
  const stem = basename(file).slice(0, -4).toLowerCase();
  const partner = `${stem}.${/\.ann$/i.test(file) ? 'txt' : 'ann'}`;
  try {
    return readdirSync(dirname(file)).some((n) => n.toLowerCase() === partner);
  } catch {
    return false;
  }
}

export interface CorpusOptions extends Partial<ReadOptions> {
  /** A name from FORMATS; detected from the content when absent. */
  format?: string;
  /** Relation types to mark symmetric, on top of what the format's own files say. */
  symmetric?: string[];
}

/**
 * Streams the documents of `file` (any supported format), through the checks every format shares
 * (checks.ts: repeated entities merged and repeated relations dropped, self-relations and repeated
 * document ids warned about).
 */
export async function* readCorpus(file: string, opts: CorpusOptions = {}): AsyncGenerator<Document> {
  // A library caller's misspelt option is refused here as loadCorpus refuses it, at the first next().
  checkReadArguments(file, opts);
  opts ??= {};
  const { name, guessed } = await formatOf(file, opts);
  yield* readAs(file, opts, name, guessed);
}

/** The format `opts` names, else the one detected from the content (and whether only guessed). */
async function formatOf(file: string, opts: CorpusOptions): Promise<{ name: string; guessed: boolean }> {
  return opts.format === undefined ? detect(file) : { name: opts.format, guessed: false };
}

/**
 * readCorpus in format `name`. Where the content only suggested it (`guessed`), an error in a field says
 * so: record 102 of a SpERT file read as unified said "expected an array".
 */
async function* readAs(file: string, opts: CorpusOptions, name: string, guessed: boolean): AsyncGenerator<Document> {
  const format = getFormat(name);
  // Options of another format would be ignored without a word: `--split test` on a brat file reads it all.
  if (opts.split !== undefined && opts.split !== 'all' && format.name !== 'nyt')
    throw new UserError(`--split ${opts.split} selects part of NYT CoType's test file, but this is read as ${format.name}`, { file });
  if (opts.ace05 && !ACE05_FORMATS.has(format.name))
    throw new UserError(`--ace05 (data.ace05) reads ACE05 as the paper does, from LSTM-ER's brat output, DyGIE JSONL or unified JSON, but this is read as ${format.name}`, { file });
  if (opts.bratLayout && opts.bratLayout !== 'auto' && format.name !== 'brat')
    throw new UserError(`the brat layout ${opts.bratLayout} (--brat-layout, data.bratLayout) says how to cut brat's text into sentences and tokens, but this is read as ${format.name}, ${RAW_TEXT.has(format.name) ? 'always cut as extract cuts text' : 'whose tokens are given'}`, { file });
  if (opts.labelStudioResults !== undefined && format.name !== 'labelstudio')
    throw new UserError(`--ls-results ${opts.labelStudioResults} (labelStudioResults) says how to read a Label Studio export, but this is read as ${format.name}`, { file });
  // Else the format's reader says "cannot read: is a directory", as if the directory were the mistake.
  if (format.name !== 'brat' && (await isDirectory(file)))
    throw new UserError(`a directory, which is read only as brat (its .txt and .ann pairs), but the format given is ${format.name}: name a file in it, or read it as brat`, { file });
  const ro: ReadOptions = { ...opts, diagnostics: opts.diagnostics ?? new Diagnostics() };
  const declared = await declaredSchema(file, format, ro);
  // The symmetric types, for the merge of repeated entities to keep one direction of a symmetric relation.
  const symmetric = symmetricTypes(declared, opts);
  // A rare type a small edit away from a frequent one is warned about once all are read (a label typo),
  // unless the schema declares both.
  const docs = warningTypos(checkDocuments(format.read(file, ro), symmetric, ro.diagnostics), ro.diagnostics, declared);
  if (!guessed) return yield* docs;
  try {
    yield* docs;
  } catch (e) {
    // A field not as the format has it may be the format's fault, not the file's.
    if (e instanceof UserError && e.location.field !== undefined) e.message += ` (the format ${name} was detected from the content: if it is another, name it with --format)`;
    throw e;
  }
}

/**
 * The label schema for `file`: a `typesFile` if given, else what the format's files carry, extended by
 * every type seen in `documents` (order of first appearance).
 */
export async function corpusSchema(file: string, documents: Iterable<Document>, opts: CorpusOptions = {}): Promise<LabelSchema> {
  const format = getFormat(opts.format ?? (await detectFormat(file)));
  const ro: ReadOptions = { diagnostics: new Diagnostics(), ...opts };
  const own = await declaredSchema(file, format, ro);
  const seen = inferSchema(documents);
  if (own?.alone) refuseUnrelated(file, own, seen);
  // Only a full declaration (a types file) can leave a type out; the ACE05 reading only marks PER-SOC.
  if (own?.entityTypes && own.relationTypes) warnUndeclared(own, seen, own.source ?? 'the types file beside the data', ro.diagnostics);
  const symmetric = symmetricTypes(own, opts);
  const ents = [...new Set([...(own?.entityTypes ?? []), ...seen.entityTypes])];
  const rels = [...new Set([...(own?.relationTypes ?? []).map((r) => r.name), ...seen.relationTypes.map((r) => r.name)])];
  return { entityTypes: ents, relationTypes: rels.map((name) => ({ name, symmetric: symmetric.has(name) })) };
}

/** The schema `file` declares: a `typesFile` if given, else what the format's files carry (a types file beside it, brat's annotation.conf), if any. */
async function declaredSchema(file: string, format: Format, opts: ReadOptions): Promise<DeclaredSchema | undefined> {
  return opts.typesFile ? { ...(await readTypesFile(opts.typesFile)), source: opts.typesFile } : format.schema?.(file, opts);
}

/** The relation types marked symmetric: by the declared schema (`own`), or by the caller (`opts.symmetric`). */
function symmetricTypes(own: Partial<LabelSchema> | undefined, opts: CorpusOptions): Set<string> {
  return new Set([...(opts.symmetric ?? []), ...(own?.relationTypes ?? []).filter((r) => r.symmetric).map((r) => r.name)]);
}

/**
 * Refuses a types file taken only as the only one in the data's directory (`alone`) that declares none of
 * the entity types the data uses: it is another corpus's, and its symmetric flags and types would change
 * how the data is scored and written without a word (a warning would still let them).
 */
function refuseUnrelated(file: string, own: DeclaredSchema, seen: LabelSchema): void {
  const declared = new Set(own.entityTypes ?? []);
  if (seen.entityTypes.length === 0 || seen.entityTypes.some((t) => declared.has(t))) return;
  const used = seen.entityTypes.slice(0, 3).map((t) => quote(t)).join(', ') + (seen.entityTypes.length > 3 ? ', …' : '');
  throw new UserError(
    `the only *_types.json beside ${file}, so read as its types file, but it declares none of the data's entity types (${used}): name the data's own with --types FILE (data.types), or move this one away`,
    { file: own.source },
  );
}

/** Types the documents use that their types file does not declare: a typo there or in the data is likely. */
function warnUndeclared(own: Partial<LabelSchema>, seen: LabelSchema, source: string, diagnostics: Diagnostics): void {
  const ents = new Set(own.entityTypes ?? []);
  const rels = new Set((own.relationTypes ?? []).map((r) => r.name));
  for (const t of seen.entityTypes) if (!ents.has(t)) diagnostics.warn('type-not-declared', `entity type ${quote(t)} is not declared in ${source}`);
  for (const r of seen.relationTypes) if (!rels.has(r.name)) diagnostics.warn('type-not-declared', `relation type ${quote(r.name)} is not declared in ${source}`);
}

export interface LoadedCorpus {
  format: string;
  documents: Document[];
  schema: LabelSchema;
  diagnostics: Diagnostics;
}

/** The reading options' names, for a library caller's misspelt one. */
export const CORPUS_OPTIONS: readonly (keyof CorpusOptions)[] = ['format', 'typesFile', 'split', 'ace05', 'bratLayout', 'tokenizer', 'labelStudioResults', 'symmetric', 'diagnostics'];

/** A library caller's file name and reading options, checked: a value out of its choices would be read as the default. */
function checkReadArguments(file: string, opts: CorpusOptions | null): void {
  if (typeof file !== 'string' || file === '') throw new UserError(`must be a file name, got ${described(file)}`, { field: 'file' });
  checkOptions(opts, 'options', CORPUS_OPTIONS);
  const choices: [keyof CorpusOptions, readonly unknown[]][] = [
    ['split', ['dev', 'test', 'all']], ['bratLayout', ['auto', 'lines', 'text']], ['tokenizer', ['ptb', 'conll04']], ['ace05', [true, false]],
    ['labelStudioResults', ['annotations', 'predictions']],
  ];
  for (const [key, allowed] of choices) {
    const v = opts?.[key];
    if (v !== undefined && !allowed.includes(v)) throw new UserError(`must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${described(v)}`, { field: key });
  }
  // Else a string is spread into its letters (no type marked symmetric), a number read as a path, and
  // another object used as the Diagnostics it is not (a TypeError from deep inside).
  const { symmetric, typesFile, diagnostics } = opts ?? {};
  if (symmetric !== undefined && !Array.isArray(symmetric)) throw new UserError(`must be an array of relation type names, got ${described(symmetric)}`, { field: 'symmetric' });
  for (const [i, t] of (symmetric ?? []).entries())
    if (typeof t !== 'string' || t === '') throw new UserError(`must be a relation type name, got ${described(t)}`, { field: `symmetric[${i}]` });
  if (typesFile !== undefined && (typeof typesFile !== 'string' || typesFile === '')) throw new UserError(`must be a file name, got ${described(typesFile)}`, { field: 'typesFile' });
  if (diagnostics !== undefined && !(diagnostics instanceof Diagnostics))
    throw new UserError(`must be a Diagnostics (new Diagnostics(), exported with loadCorpus), got ${described(diagnostics)}`, { field: 'diagnostics' });
}

/** Reads a whole corpus into memory with its schema and the warnings of reading it. */
export async function loadCorpus(file: string, opts: CorpusOptions = {}): Promise<LoadedCorpus> {
  checkReadArguments(file, opts);
  opts ??= {};
  const { name: format, guessed } = await formatOf(file, opts);
  const diagnostics = opts.diagnostics ?? new Diagnostics();
  const o = { ...opts, format, diagnostics };
  const documents: Document[] = [];
  for await (const d of readAs(file, o, format, guessed)) documents.push(d);
  return { format, documents, schema: await corpusSchema(file, documents, o), diagnostics };
}

/**
 * Writes documents in `format` to `out` (a directory for brat), atomically per file. `onWritten(n)` is told
 * as the n-th document is written, and `onWritten(0)` first (for a progress bar: brat writes two files a document).
 */
export async function writeCorpus(
  docs: Source<Document>,
  schema: LabelSchema,
  out: string,
  format: string,
  diagnostics?: Diagnostics,
  onWritten?: (documents: number) => void,
): Promise<void> {
  checkLabelSchema(schema, 'schema');
  const f = getFormat(format);
  if (!f.write) throw new UserError(`cannot write format "${format}" (writable: ${WRITABLE_FORMATS.join(', ')})`);
  if (onWritten !== undefined && typeof onWritten !== 'function') throw new UserError(`must be a function, got ${described(onWritten)}`, { field: 'onWritten' });
  await f.write(onWritten ? counting(docs, onWritten) : docs, schema, out, diagnostics);
}

/**
 * `docs`, calling `onEach(0)` as the writer starts on them, then `onEach(n)` when it is done with the n-th
 * and asks for the next (or finds the end). An array stays an array (its iteration counted), which a writer
 * may check whole before writing (brat).
 */
function counting(docs: Source<Document>, onEach: (n: number) => void): Source<Document> {
  if (Array.isArray(docs)) {
    const items = docs as readonly Document[];
    const counted = [...items];
    Object.defineProperty(counted, Symbol.iterator, {
      value: function* () {
        let n = 0;
        onEach(n);
        for (const d of items) {
          yield d;
          onEach(++n);
        }
      },
    });
    return counted;
  }
  return (async function* () {
    let n = 0;
    onEach(n);
    for await (const d of docs) {
      yield d;
      onEach(++n);
    }
  })();
}

/** Every path `writeCorpus(…, out, format)` writes: `out`, and for jsonl and spert the types file beside it, for labelstudio its labelling config. */
export function writtenFiles(out: string, format: string): string[] {
  if (format === 'labelstudio') return [out, labelConfigFor(out)];
  return format === 'jsonl' || format === 'spert' ? [out, typesFileFor(out)] : [out];
}

/** Every path reading `file` may consult: the file, a `typesFile`, and the types file formats look for beside it. */
export async function inputFiles(file: string, opts: Pick<CorpusOptions, 'typesFile'> = {}): Promise<string[]> {
  return [file, opts.typesFile, await findTypesFile(file)].filter((f): f is string => f !== undefined);
}
