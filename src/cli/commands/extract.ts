/**
 * `entrel extract`: entities and relations from raw text with a trained model (the bundled CoNLL04 model
 * unless `--model` names one).
 *
 *   entrel extract "TEXT" [--json]                     one text: a table, or one JSON document
 *   entrel extract --in FILE --out FILE [--format F]   a .txt (one text per paragraph) or .jsonl file,
 *                                                      streamed: jsonl, brat (a directory) or html
 */
import { statSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { UserError } from '../../errors.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { withInterrupts } from '../interrupt.js';
import { DEFAULT_BATCH_SIZE } from '../../extract/batches.js';
import { checkExtractInput } from '../../extract/given-entities.js';
import type { ExtractOptions } from '../../extract/types.js';
import { extractionFiles, OUTPUT_FORMATS, type OutputFormat } from '../extract-outputs.js';
import { formatExtraction } from '../extract-table.js';
import { printJson } from '../output.js';
import { finiteNumber, modelRefs, nonNegativeInteger, positiveInteger } from './arg-values.js';
import { loadExtractor, type LoadedExtractor } from '../load-extractor.js';

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
  entities?: string;
}

const triple = (v: string, prev: [string, string, string][] = []) => {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length !== 3 || parts.some((p) => !p)) throw new InvalidArgumentError('expected HEAD_TYPE,RELATION,TAIL_TYPE (e.g. Peop,Work_For,Org)');
  return [...prev, parts as [string, string, string]];
};

export function extractCommand(): Command {
  return new Command('extract')
    .description('extract entities and relations from text (the bundled CoNLL04 model unless --model is given)')
    .argument('[text]', 'the text (or use --in FILE; without either, standard input is read)')
    .option('--json', 'print one JSON document {text, sentences, entities, relations}')
    .option('--in <file>', 'input file: .jsonl (a JSON string or {"text", "id"?, "entities"?} per line) or plain text (one text per paragraph)')
    .option('--entities <json>', 'the entities already known in the text, as JSON [{"start", "end", "type", "id"?}, …] (character offsets): the model keeps exactly these and finds the relations between them')
    .option('--out <file>', 'output file (a directory for brat), written atomically')
    .addOption(new Option('--format <name>', 'output format for --out (default: from its name, .jsonl or .html)').choices([...OUTPUT_FORMATS]))
    .option('--model <dir|package>', 'a trained model directory (default: the bundled CoNLL04 model); several: an ensemble that votes (repeatable)', modelRefs)
    .option('--min-votes <k>', 'with several models: how many must extract an item (default: more than half)', positiveInteger)
    .option('--threshold <p>', 'drop relations whose probability is below p', finiteNumber)
    .option('--allow <triple>', 'keep only relations HEAD_TYPE,RELATION,TAIL_TYPE (repeatable)', triple)
    .option('--max-distance <tokens>', 'consider only entity pairs at most this many tokens apart', positiveInteger)
    .option('--batch-size <n>', `sentences per model call (default ${DEFAULT_BATCH_SIZE})`, positiveInteger)
    .option('--workers <n>', 'most worker threads running the model for inputs of 128+ sentences (default $ENTREL_WORKERS, else min(2, cores); 0 = none)', nonNegativeInteger)
    .option('--quiet', 'no progress bar')
    .action(async (text: string | undefined, flags: ExtractFlags) => {
      const options: ExtractOptions = { relationThreshold: flags.threshold, allowedTriples: flags.allow, maxPairDistance: flags.maxDistance };
      if (flags.in !== undefined) {
        if (text !== undefined) throw new UserError('give the text as an argument or --in FILE, not both');
        if (flags.entities !== undefined) throw new UserError('--entities goes with one text; with --in FILE.jsonl give each line its own: {"text": …, "entities": […]}');
        if (flags.json) throw new UserError('--json prints one text; with --in use --out FILE --format jsonl');
        if (!flags.out) throw new UserError('--in needs --out FILE');
        refuseOverwritingInputs(extractionFiles(flags.out, flags.format ?? formatFromName(flags.out)), [flags.in, ...(flags.model ?? [])]);
        const [input, out] = [flags.in, flags.out];
        return withInterrupts(() => extractFile(input, out, flags.format ?? formatFromName(out), options, flags));
      }
      if (flags.out || flags.format) throw new UserError('--out and --format go with --in FILE');
      const given = flags.entities === undefined ? undefined : parseEntitiesFlag(flags.entities);
      const input = text ?? (await readStdin());
      const [doc] = await withExtractor(flags, (extractor) => {
        if (given === undefined) return extractor.extract([input], options);
        // Checked here, so that errors name `entities[…]` as the flag gives them.
        const { entityTypes, relationTypes, tokenizer } = extractor.info();
        const { entities } = checkExtractInput({ text: input, entities: given }, { entityTypes, relationTypes }, tokenizer, '');
        return extractor.extract([{ text: input, entities }], options);
      });
      if (flags.json) printJson(doc);
      else process.stdout.write(formatExtraction(doc) + '\n');
    });
}

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
  if (/\.jsonl$/i.test(out)) return 'jsonl';
  throw new UserError(`cannot tell the output format from the name: give --format ${OUTPUT_FORMATS.join('|')}`, { file: out });
}

async function extractFile(input: string, out: string, format: OutputFormat, options: ExtractOptions, flags: ExtractFlags): Promise<void> {
  let total: number;
  try {
    total = statSync(input).size;
  } catch (e) {
    throw new UserError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, { file: input });
  }
  return withExtractor(flags, (extractor) => streamToFile(extractor, { input, out, format, options, flags, total }));
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

async function streamToFile(extractor: LoadedExtractor, { input, out, format, options, flags, total }: StreamJob): Promise<void> {
  const { readInputTexts } = await import('../../extract/inputs.js');
  const { extractStream } = await import('../../extract/stream.js');
  const { writeExtractions } = await import('../extract-outputs.js');
  const bar =
    flags.quiet || !process.stderr.isTTY
      ? undefined
      : new cliProgress.SingleBar(
          { stream: process.stderr, format: 'extract [{bar}] {percentage}% | {docs} texts | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
  bar?.start(Math.max(1, total), 0, { docs: 0 });
  let docs = 0;
  async function* progress<T extends { bytesRead?: number }>(source: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const d of source) {
      docs++;
      bar?.update(Math.min(total, d.bytesRead ?? 0), { docs });
      yield d;
    }
  }
  const t0 = performance.now();
  try {
    await writeExtractions(progress(extractStream(extractor, readInputTexts(input), options)), out, format, extractor.info());
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write(`entrel: ${docs} texts → ${out} (${format}) in ${seconds.toFixed(1)} s\n`);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UserError('give a text to extract from, --in FILE, or pipe text on standard input');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  try {
    // A byte-order mark stays (whitespace to the tokenizer), so that offsets, --entities' too, count it as
    // Node's and Python's UTF-8 readers of the file do. (`--in`'s paragraphs are texts of their own: not there.)
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UserError('standard input is not valid UTF-8 text');
  }
}
