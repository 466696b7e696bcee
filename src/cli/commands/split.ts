/**
 * `entrel split FILE --out DIR`: a seeded train / dev / test split of one annotated corpus by whole
 * documents, for users whose annotations are one file (a brat project): `entrel train` needs a dev set.
 * Writes DIR/train.EXT, DIR/dev.EXT, DIR/test.EXT (brat: directories) and DIR/split.json, which records
 * the seed and which documents went where.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { Diagnostics } from '../../data/diagnostics.js';
import { WRITABLE_FORMATS, inputFiles, loadCorpus, writeCorpus, writtenFiles } from '../../data/formats/index.js';
import { PARTS, checkLabelCoverage, splitPositions, type Part, type PartSize } from '../../data/split.js';
import { computeStats } from '../../data/stats.js';
import { refuseOverwritingInputs, writeAtomic } from '../../data/write.js';
import { UserError } from '../../errors.js';
import { withInterrupts } from '../interrupt.js';
import { formatTable, printJson, printWarnings } from '../output.js';
import { addDataFlags, corpusOptions, type DataFlags } from './data-options.js';

/** File name endings by output format, as the corpora of each format name their splits (brat: a directory). */
const EXTENSION: Record<string, string> = { jsonl: '.jsonl', unified: '.json', spert: '.json', 'spert-tags': '.json', dygie: '.json', multihead: '.txt', brat: '' };

/** `0.1` is a fraction of the documents, `200` a count of them, `0` none. */
function partSize(v: string): PartSize {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError('expected a fraction in [0, 1) or a count of documents');
  if (x < 1) return { fraction: x };
  if (!Number.isInteger(x)) throw new InvalidArgumentError('expected a fraction in [0, 1) or a whole count of documents');
  return { count: x };
}

function seedValue(v: string): number {
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected an integer');
  return Number(v);
}

interface SplitFlags extends DataFlags {
  out: string;
  to?: string;
  dev: PartSize;
  test: PartSize;
  seed: number;
  json?: boolean;
}

export function splitCommand(): Command {
  const cmd = new Command('split')
    .description('split an annotated corpus into train, dev and test files by whole documents (seeded)')
    .argument('<file>', 'input file (or brat directory)');
  return addDataFlags(cmd)
    .requiredOption('--out <dir>', 'output directory: train, dev and test files and split.json')
    .addOption(new Option('--to <format>', "output format (default: the input's)").choices(WRITABLE_FORMATS))
    .addOption(new Option('--dev <size>', 'dev part: a fraction of the documents (0.1) or a count (200); 0 = none').argParser(partSize).default({ fraction: 0.1 }, '0.1'))
    .addOption(new Option('--test <size>', 'test part, the same way; 0 = none (you have a test set)').argParser(partSize).default({ fraction: 0.1 }, '0.1'))
    .option('--seed <n>', 'seed of the random order', seedValue, 1)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, flags: SplitFlags) => {
      const diagnostics = new Diagnostics();
      const corpus = await loadCorpus(file, { ...corpusOptions(flags), diagnostics });
      printWarnings(corpus.diagnostics, file);
      const format = flags.to ?? corpus.format;
      if (!WRITABLE_FORMATS.includes(format))
        throw new UserError(`entrel cannot write ${format}, the input's format; name an output format with --to (${WRITABLE_FORMATS.join(', ')})`, { file });
      const split = splitPositions(corpus.documents.length, flags);
      const parts = PARTS.filter((p) => split[p].length > 0);
      const outOf = (p: Part) => join(flags.out, p + EXTENSION[format]);
      const inputs = await inputFiles(file, { typesFile: flags.types });
      refuseOverwritingInputs([...parts.flatMap((p) => writtenFiles(outOf(p), format)), join(flags.out, 'split.json')], inputs);

      const coverage = new Diagnostics();
      checkLabelCoverage(corpus.documents, split, coverage);
      const lost = new Diagnostics();
      await withInterrupts(async () => {
        for (const p of parts) await writeCorpus(split[p].map((i) => corpus.documents[i]), corpus.schema, outOf(p), format, lost);
        const record = {
          source: file,
          format,
          seed: flags.seed,
          dev: flags.dev,
          test: flags.test,
          parts: Object.fromEntries(parts.map((p) => [p, { file: outOf(p), positions: split[p], ids: split[p].map((i) => corpus.documents[i].id) }])),
        };
        await writeAtomic(join(flags.out, 'split.json'), [recordJson(record)]);
      });
      printWarnings(lost, flags.out);
      printWarnings(coverage, flags.out);

      const summary = parts.map((p) => {
        const s = computeStats(split[p].map((i) => corpus.documents[i]), []);
        return { part: p, file: outOf(p), documents: s.documents, sentences: s.sentences, entities: s.entities.total, relations: s.relations.total };
      });
      if (flags.json) printJson({ source: file, format, seed: flags.seed, parts: summary, warnings: coverage.summary() });
      else {
        const rows = summary.map((s) => [s.part, s.documents, s.sentences, s.entities, s.relations, s.file]);
        process.stdout.write(`${formatTable(['part', 'documents', 'sentences', 'entities', 'relations', 'written to'], rows)}\n`);
      }
    });
}

/** One key a line, each part's lists on its own line: readable, and diffable when a split changes. */
function recordJson(record: { parts: Record<string, unknown> } & Record<string, unknown>): string {
  const line = (indent: string, [k, v]: [string, unknown]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  const { parts, ...rest } = record;
  const partLines = Object.entries(parts).map((e) => line('  ', e));
  return `{\n${Object.entries(rest).map((e) => line(' ', e)).join(',\n')},\n "parts": {\n${partLines.join(',\n')}\n }\n}\n`;
}
