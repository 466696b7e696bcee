/**
 * `entrel extract`: entities and relations from raw text with a trained model (the bundled CoNLL04 model
 * unless `--model` names one).
 *
 *   entrel extract "TEXT" [--json]                     one text: a table, or one JSON document
 *   entrel extract --in FILE --out FILE [--format F]   a .txt (one text per paragraph, or with --lines per
 *                                                      line) or .jsonl/.ndjson file, streamed: jsonl, brat
 *                                                      (a directory), html, labelstudio or doccano
 */
import { statSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { counted, formatLocated, isUserError, UserError } from '../../errors.js';
import type { LabelSchema } from '../../data/corpus.js';
import { Diagnostics } from '../../data/diagnostics.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { firstInvalidByte } from '../../data/utf8.js';
import { DEFAULT_MAX_TOKENS } from '../../text/options.js';
import { withInterrupts } from '../interrupt.js';
import { DEFAULT_BATCH_SIZE } from '../../extract/batches.js';
import { readExtractInput } from '../../extract/given-entities.js';
import { resolveExtractOptions } from '../../extract/options.js';
import type { ExtractedDocument, ExtractOptions } from '../../extract/types.js';
import type { StreamedDocument } from '../../extract/stream.js';
import { extractionFiles, OUTPUT_FORMATS, type OutputFormat } from '../extract-outputs.js';
import { formatExtraction } from '../extract-table.js';
import { printJson, printNote, printWarning, printWarnings } from '../output.js';
import { modelRefs, nonNegativeInteger, positiveInteger, probability } from './arg-values.js';
import { loadExtractor, type LoadedExtractor } from '../load-extractor.js';
import { startBar } from '../../train/progress.js';
import { progressLogOption, withProgressLog, type ProgressSink } from '../progress-log.js';

interface ExtractFlags {
  json?: boolean;
  in?: string;
  out?: string;
  format?: OutputFormat;
  model?: string[];
  minVotes?: number;
  threshold?: number;
  allow?: [string, string, string][];
  maxDistance?: number;
  batchSize?: number;
  workers?: number;
  quiet?: boolean;
  progressLog?: string;
  entities?: string;
  lines?: boolean;
}

const triple = (v: string, prev: [string, string, string][] = []) => {
  const parts = tripleNames(v);
  if (parts.length !== 3 || parts.some((p) => !p)) throw new InvalidArgumentError('expected HEAD_TYPE,RELATION,TAIL_TYPE (e.g. Peop,Work_For,Org; \\, for a comma in a type name)');
  return [...prev, parts as [string, string, string]];
};

/** `--allow`'s names, split at its commas: `\,` is a comma of a name (`Org\, Inc.`), `\\` a backslash. */
function tripleNames(v: string): string[] {
  const names = [''];
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '\\' && (v[i + 1] === ',' || v[i + 1] === '\\')) names[names.length - 1] += v[++i];
    else if (v[i] === ',') names.push('');
    else names[names.length - 1] += v[i];
  }
  return names.map((s) => s.trim());
}

/** A type name as `--allow` takes it (tripleNames' escapes). */
const escapedName = (name: string) => name.replace(/[\\,]/g, (c) => `\\${c}`);

/**
 * Commander takes a text that starts with '-' (a bullet, a negative amount) for an option it does not
 * know; this command's error then says how to give such a text.
 */
class ExtractCommand extends Command {
  /** Commander's hook for an unknown option (a method of its Command, not in its typings). */
  unknownOption(flag: string): void {
    if (!/^--?[A-Za-z][\w-]*(?:=|$)/.test(flag))
      this.error(`error: unknown option '${flag}'; to extract a text that starts with '-', put -- before it: entrel extract -- "- …"`, { code: 'commander.unknownOption' });
    (Command.prototype as unknown as { unknownOption(flag: string): void }).unknownOption.call(this, flag);
  }
}

export function extractCommand(): Command {
  return new ExtractCommand('extract')
    .description('extract entities and relations from text (the bundled CoNLL04 model unless --model is given)')
    .argument('[text]', "the text (or use --in FILE; without either, standard input is read); one that starts with '-' goes after --")
    .option('--json', 'print one JSON document {text, sentences, entities, relations}')
    .option('--in <file>', 'input file: .jsonl or .ndjson (a JSON string or {"text", "id"?, "entities"?} per line) or plain text (one text per paragraph, blank lines between them; with --lines one per line); any other name that starts like JSON is refused; - for standard input')
    .option('--lines', 'every line break ends a sentence (no relation across lines), and a plain-text --in file holds one text per non-empty line (ids line-N)')
    .option('--entities <json>', 'the entities already known in the text, as JSON [{"start", "end", "type", "id"?}, …] (character offsets): the model keeps exactly these and finds the relations between them')
    .option('--out <file>', 'output file (a directory for brat), written atomically; - for standard output (JSON Lines unless --format says otherwise)')
    .addOption(new Option('--format <name>', 'output format for --out (default: from its name, .jsonl or .html)').choices([...OUTPUT_FORMATS]))
    .option('--model <dir|package>', 'a trained model directory (default: the bundled CoNLL04 model); several: an ensemble that votes (repeatable)', modelRefs)
    .option('--min-votes <k>', 'with several models: how many must extract an item (default: more than half)', positiveInteger)
    .option('--threshold <p>', 'drop relations whose probability is below p (a decimal from 0 to 1)', probability)
    .option('--allow <triple>', 'keep only relations HEAD_TYPE,RELATION,TAIL_TYPE (repeatable; \\, for a comma in a type name)', triple)
    .option('--max-distance <tokens>', 'consider only entity pairs at most this many tokens apart', positiveInteger)
    .option('--batch-size <n>', `sentences per model call (default ${DEFAULT_BATCH_SIZE})`, positiveInteger)
    .option('--workers <n>', 'most worker threads running the model for inputs of 128+ sentences (default $ENTREL_WORKERS, else min(2, cores); 0 = none)', nonNegativeInteger)
    .addOption(progressLogOption())
    .action(async (text: string | undefined, flags: ExtractFlags) => {
      const options: ExtractOptions = { relationThreshold: flags.threshold, allowedTriples: flags.allow, maxPairDistance: flags.maxDistance, newlines: flags.lines ? 'line' : undefined };
      if (flags.in !== undefined) {
        if (text !== undefined) throw new UserError('give the text as an argument or --in FILE, not both');
        if (flags.entities !== undefined) throw new UserError('--entities goes with one text; with --in FILE.jsonl give each line its own: {"text": …, "entities": […]}');
        if (flags.json) throw new UserError('--json prints one text; with --in, --out - writes JSON Lines (a document a line) to standard output');
        if (!flags.out) throw new UserError('--in needs --out FILE (or --out - for JSON Lines on standard output)');
        refuseOverwritingInputs(extractionFiles(flags.out, flags.format ?? formatFromName(flags.out)), [flags.in, ...(flags.model ?? [])]);
        // `-`: standard input, read as it comes (inputs.ts reads a pipe without looking ahead).
        const [input, out] = [flags.in, flags.out];
        return withInterrupts(() => extractFile(input, out, flags.format ?? formatFromName(out), options, flags));
      }
      if (flags.out || flags.format) throw new UserError('--out and --format go with --in FILE');
      const given = flags.entities === undefined ? undefined : parseEntitiesFlag(flags.entities);
      const input = text ?? (await readStdin());
      const [doc] = await withExtractor(flags, (extractor) => {
        checkOptionFlags(options, extractor.info());
        if (given === undefined) return extractor.extract([input], options);
        // Checked here, so that errors name `entities[…]` as the flag gives them.
        const { entityTypes, relationTypes } = extractor.info();
        const { entities } = readExtractInput({ text: input, entities: given }, { entityTypes, relationTypes }, '');
        return extractor.extract([{ text: input, entities }], options);
      });
      if (flags.json) printJson(doc);
      else process.stdout.write(formatExtraction(doc) + '\n');
      const cut = cutSentences(doc);
      if (cut > 0) printWarning(`${counted(cut, 'sentence')} cut at ${DEFAULT_MAX_TOKENS} tokens: no relation is found across a cut${flags.json ? ' ("cut": true)' : ''}`);
    });
}

const cutSentences = (doc: ExtractedDocument) => doc.sentences.filter((s) => s.cut).length;

/**
 * The options checked against the model's labels as extraction checks them, before any text is read, so
 * that an error names the flag the user typed (`--allow Peop,Work_For,Orgx`), not the library's field.
 */
function checkOptionFlags(options: ExtractOptions, schema: LabelSchema): void {
  try {
    resolveExtractOptions(options, schema);
  } catch (e) {
    if (!isUserError(e)) throw e;
    const triple = /^allowedTriples\[(\d+)\]$/.exec(e.location.field ?? '');
    if (!triple) throw e;
    throw new UserError(e.message.slice(formatLocated('', e.location).length), { field: allowFlag(options.allowedTriples!, Number(triple[1])) });
  }
}

/** The `i`th `--allow` as the user gave it (`--allow Peop,Work_For,Org`, and which of several). */
function allowFlag(triples: readonly (readonly string[])[], i: number): string {
  const which = triples.length > 1 ? ` (the ${ordinal(i + 1)} of ${triples.length} --allow)` : '';
  return `--allow ${triples[i].map(escapedName).join(',')}${which}`;
}

const ordinal = (n: number) => `${n}${(n % 100 >= 11 && n % 100 <= 13 ? undefined : ['th', 'st', 'nd', 'rd'][n % 10]) ?? 'th'}`;

/** `--entities`: a JSON array (its entities are checked against the text and the model later). */
function parseEntitiesFlag(json: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new UserError(`not valid JSON (${(e as Error).message}): give [{"start": 0, "end": 10, "type": "Peop"}, …]`, { field: '--entities' });
  }
  if (!Array.isArray(v)) throw new UserError('must be a JSON array of {"start", "end", "type", "id"?}', { field: '--entities' });
  return v;
}

/** Loads the extractor, runs `f`, and ends its worker threads whatever happens. */
async function withExtractor<T>(flags: ExtractFlags, f: (extractor: LoadedExtractor) => Promise<T>): Promise<T> {
  const extractor = await loadExtractor(flags);
  try {
    return await f(extractor);
  } finally {
    await extractor.close();
  }
}

function formatFromName(out: string): OutputFormat {
  if (/\.html?$/i.test(out)) return 'html';
  if (/\.jsonl$/i.test(out) || out === '-') return 'jsonl';
  throw new UserError(`cannot tell the output format from the name: give --format ${OUTPUT_FORMATS.join('|')}`, { file: out });
}

async function extractFile(input: string, out: string, format: OutputFormat, options: ExtractOptions, flags: ExtractFlags): Promise<void> {
  let total: number;
  try {
    total = input === '-' ? 0 : statSync(input).size;
  } catch (e) {
    throw new UserError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, { file: input });
  }
  const { readInputKind } = await import('../../extract/inputs.js');
  await readInputKind(input); // a file that looks like JSON but is not named so is refused before the model loads
  return withExtractor(flags, (extractor) => {
    checkOptionFlags(options, extractor.info());
    return streamToFile(extractor, { input, out, format, options, flags, total });
  });
}

interface StreamJob {
  input: string;
  out: string;
  format: OutputFormat;
  options: ExtractOptions;
  flags: ExtractFlags;
  /** Input size in bytes, for the progress bar. */
  total: number;
}

/** `--in` to `--out`, with the bar and the progress log. */
async function streamToFile(extractor: LoadedExtractor, job: StreamJob): Promise<void> {
  return withProgressLog(job.flags.progressLog, 'extract', (log) => streamWithBar(extractor, job, log));
}

async function streamWithBar(extractor: LoadedExtractor, { input, out, format, options, flags, total }: StreamJob, log: ProgressSink | undefined): Promise<void> {
  const { readInputTexts } = await import('../../extract/inputs.js');
  const { extractStream } = await import('../../extract/stream.js');
  const { writeExtractions } = await import('../extract-outputs.js');
  // The texts' count is known only as they are read: the bar and its ETA go by the input's bytes.
  const bar = startBar({ label: 'extract', unit: 'texts', work: total, quiet: flags.quiet, log });
  let docs = 0;
  let cut = 0;
  const t0 = performance.now();
  async function* progress(source: AsyncIterable<StreamedDocument>): AsyncGenerator<StreamedDocument> {
    for await (const d of source) {
      docs++;
      cut += cutSentences(d.doc);
      bar.update(docs, { work: d.bytesRead ?? 0 });
      yield d;
    }
  }
  const diagnostics = new Diagnostics();
  try {
    const texts = readInputTexts(input, { lines: flags.lines, diagnostics });
    await writeExtractions(progress(extractStream(extractor, texts, options)), out, format, extractor.info());
  } finally {
    bar.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  printWarnings(diagnostics, input);
  const marked = format === 'jsonl' ? '; such a sentence has "cut": true' : '';
  const cuts = cut > 0 ? `${counted(cut, 'sentence')} cut at ${DEFAULT_MAX_TOKENS} tokens (no relation is found across a cut${marked})` : '';
  printNote(`${counted(docs, 'text')} → ${out === '-' ? 'standard output' : out} (${format}) in ${seconds.toFixed(1)} s${cuts && `; ${cuts}`}`, flags);
  // The cuts are a warning: --quiet, which drops the summary, keeps them.
  if (flags.quiet && cuts) printWarning(cuts, { file: out, text: cuts });
}

/** Most bytes a text on standard input may have: a text of the longest (MAX_STDIN_CHARS) has at most 4 a character. */
const MAX_STDIN_CHARS = 1_000_000;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UserError('give a text to extract from, --in FILE, or pipe text on standard input');
  const tooLong = () =>
    new UserError(
      `standard input holds more than ${MAX_STDIN_CHARS.toLocaleString('en-US')} characters, too long for one text: give it as --in - (or --in FILE) with --out, which reads it a paragraph (--lines: a line) at a time`,
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    size += (c as Buffer).length;
    if (size > 4 * MAX_STDIN_CHARS) throw tooLong(); // read no further: it may never end
  }
  const bytes = Buffer.concat(chunks);
  let text: string;
  try {
    // A byte-order mark stays (whitespace to the tokenizer), so that offsets, --entities' too, count it as
    // Node's and Python's UTF-8 readers of the file do. (`--in`'s paragraphs are texts of their own: not there.)
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    throw new UserError(`standard input is not valid UTF-8 text: byte ${at} (counted from 0, on line ${lineAt(bytes, at)}) is not part of a UTF-8 character`);
  }
  if (text.length > MAX_STDIN_CHARS) throw tooLong();
  return text;
}

/** The 1-based line of byte `at`. */
function lineAt(bytes: Buffer, at: number): number {
  let line = 1;
  for (let nl = bytes.indexOf(0x0a); nl !== -1 && nl < at; nl = bytes.indexOf(0x0a, nl + 1)) line++;
  return line;
}
