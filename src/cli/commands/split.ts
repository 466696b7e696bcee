/**
 * `entrel split FILE --out DIR`: a seeded train / dev / test split of one annotated corpus by whole
 * documents, for users whose annotations are one file (a brat project): `entrel train` needs a dev set;
 * or (`--train-ids`, `--dev-ids`, `--test-ids`) the split a corpus's lists of document ids give, such as
 * ACE05's standard one (data/split-lists.ts). Writes DIR/train.EXT, DIR/dev.EXT, DIR/test.EXT (brat:
 * directories) and DIR/split.json, which records the seed (or the lists) and which documents went where;
 * all together or none (data/staging.ts), replacing the parts of an earlier split there. A brat
 * collection split into brat parts is copied file by file (brat-copy.ts copyDocuments), so its parts keep
 * what entrel does not read; any other part is written from the documents read, and what its format
 * cannot hold is counted.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { Diagnostics } from '../../data/diagnostics.js';
import { copyDocuments } from '../../data/formats/brat-copy.js';
import { refuseForeignDirectory } from '../../data/formats/brat-write.js';
import { WRITABLE_FORMATS, detectFormat, inputFiles, loadCorpus, writeCorpus, writtenFiles } from '../../data/formats/index.js';
import { PARTS, checkLabelCoverage, documentsFor, splitPositions, type Part, type PartSize } from '../../data/split.js';
import { listedPositions, readIdList, refuseRepeatedIds, type IdList } from '../../data/split-lists.js';
import { SPLIT_RECORD, earlierOutputs, partFile, splitRecordJson } from '../../data/split-record.js';
import { writeTogether } from '../../data/staging.js';
import { computeStats } from '../../data/stats.js';
import { inputAt, refuseOverwritingInputs, writeAtomic } from '../../data/write.js';
import { UserError } from '../../errors.js';
import { withInterrupts } from '../interrupt.js';
import { withBars } from '../progress.js';
import { formatTable, printJson, printWarnings } from '../output.js';
import { integer } from './arg-values.js';
import { addDataFlags, checkedCorpusOptions, type DataFlags } from './data-options.js';
import { progressLogOption } from '../progress-log.js';
import { writesStandardOutput } from '../../data/output-target.js';

/** `0.1` is a fraction of the documents, `200` a count of them, `0` none. */
function partSize(v: string): PartSize {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError('expected a fraction in [0, 1) or a count of documents');
  if (x < 1) return { fraction: x };
  if (!Number.isInteger(x)) throw new InvalidArgumentError('expected a fraction in [0, 1) or a whole count of documents');
  return { count: x };
}

interface SplitFlags extends DataFlags {
  out: string;
  to?: string;
  dev: PartSize;
  test: PartSize;
  seed: number;
  trainIds?: string;
  devIds?: string;
  testIds?: string;
  json?: boolean;
  quiet?: boolean;
  progressLog?: string;
}

/**
 * The id lists given (`--train-ids` …), read and checked: refused beside the flags of a seeded split
 * (given on the command line: `--dev` and `--test` have defaults), or without a train list.
 */
async function idLists(flags: SplitFlags, cmd: Command): Promise<IdList[]> {
  const files = PARTS.flatMap((p) => {
    const f = flags[`${p}Ids`];
    return f === undefined ? [] : [[p, f] as const];
  });
  if (!files.length) return [];
  const seeded = ['dev', 'test', 'seed'].find((o) => cmd.getOptionValueSource(o) === 'cli');
  if (seeded) throw new UserError(`--${seeded} belongs to a seeded random split, but --${files[0][0]}-ids gives the parts by lists of document ids: give one or the other`);
  if (!flags.trainIds) throw new UserError(`--${files[0][0]}-ids needs --train-ids: with lists, a document in no list goes to no part`);
  const lists = await Promise.all(files.map(([p, f]) => readIdList(p, f)));
  refuseRepeatedIds(lists);
  return lists;
}

export function splitCommand(): Command {
  const cmd = new Command('split')
    .description('split an annotated corpus into train, dev and test files by whole documents (seeded, or by lists of document ids)')
    .argument('<file>', 'input file (or brat directory)');
  return addDataFlags(cmd)
    .requiredOption('--out <dir>', 'output directory: train, dev and test files and split.json')
    .addOption(new Option('--to <format>', "output format (default: the input's)").choices(WRITABLE_FORMATS))
    .addOption(new Option('--dev <size>', 'dev part: a fraction of the documents (0.1) or a count (200); 0 = none').argParser(partSize).default({ fraction: 0.1 }, '0.1'))
    .addOption(new Option('--test <size>', 'test part, the same way; 0 = none (you have a test set)').argParser(partSize).default({ fraction: 0.1 }, '0.1'))
    .option('--seed <n>', 'seed of the random order', integer, 1)
    .option('--train-ids <file>', "instead of a random split: the train part's document ids, one a line (e.g. LSTM-ER's ACE05 split/split_train); a document in no list goes to no part")
    .option('--dev-ids <file>', "the dev part's document ids, one a line (with --train-ids)")
    .option('--test-ids <file>', "the test part's document ids, one a line (with --train-ids)")
    .option('--json', 'print the summary as JSON')
    .addOption(progressLogOption())
    .action(async (file: string, flags: SplitFlags, cmd: Command) => {
      // `-` is standard output elsewhere: not a directory named `-` (review 32 #9).
      if (writesStandardOutput(flags.out)) throw new UserError('cannot write the split to standard output: it is a directory (its parts and split.json), give its path', { file: flags.out });
      // Refused before the corpus is read: bad id lists, a format entrel cannot write, outputs over inputs, a brat part holding other files.
      const lists = await idLists(flags, cmd);
      const from = flags.format ?? (await detectFormat(file));
      const format = flags.to ?? from;
      if (!WRITABLE_FORMATS.includes(format))
        throw new UserError(`entrel cannot write ${format}, the input's format; name an output format with --to (${WRITABLE_FORMATS.join(', ')})`, { file });
      // The parts listed; else a part asked to be 0 is not written, and any other takes at least one document.
      const parts = lists.length ? lists.map((l) => l.part) : PARTS.filter((p) => p === 'train' || documentsFor(flags[p], 1) > 0);
      const outputs = parts.map((p) => partFile(p, format));
      const inputs = [...(await inputFiles(file, { typesFile: flags.types })), ...lists.map((l) => l.file)];
      refuseOverwritingInputs([...outputs.flatMap((o) => writtenFiles(join(flags.out, o), format)), join(flags.out, SPLIT_RECORD)], inputs);
      if (format === 'brat') for (const o of outputs) refuseForeignDirectory(join(flags.out, o));
      // An earlier split's parts that this one does not write would pass for part of it (and overlap its train).
      const obsolete = earlierOutputs(flags.out).filter((name) => !inputAt(join(flags.out, name), inputs));

      // The format as given (else detected again by loadCorpus, whose errors then say it was detected).
      const read = await checkedCorpusOptions(flags, file);
      const corpus = await loadCorpus(file, { ...read, diagnostics: new Diagnostics() });
      printWarnings(corpus.diagnostics, file);
      // Listed ids that are no document, and documents in no list.
      const listing = new Diagnostics();
      const split = lists.length ? listedPositions(corpus.documents.map((d) => d.id), lists, listing) : splitPositions(corpus.documents.length, { ...flags, file });
      printWarnings(listing, file);
      const docsOf = (p: Part) => split[p].map((i) => corpus.documents[i]);
      // How the parts were chosen: the lists, or the seed and sizes.
      const how = lists.length ? { lists: Object.fromEntries(lists.map((l) => [l.part, l.file])) } : { seed: flags.seed, dev: flags.dev, test: flags.test };
      const coverage = new Diagnostics();
      checkLabelCoverage(corpus.documents, split, coverage);
      const lost = new Diagnostics();
      // The bar counts the documents of every part written.
      const total = parts.reduce((n, p) => n + split[p].length, 0);
      await withInterrupts(() => withBars(flags, 'split', (bars) =>
        writeTogether(
          flags.out,
          async (dir) => {
            const written = bars.written(total, 'split');
            let before = 0;
            for (const p of parts) {
              const out = join(dir, partFile(p, format));
              // Its annotation.conf records how the collection was read (with --ace05 too), so the part reads the same.
              if (from === 'brat' && format === 'brat') {
                await copyDocuments(file, read, corpus.schema, split[p].map((at) => ({ at, id: corpus.documents[at].id })), out);
                written(before + split[p].length);
              } else await writeCorpus(docsOf(p), corpus.schema, out, format, lost, (n) => written(before + n));
              before += split[p].length;
            }
            const record = {
              source: file,
              format,
              ...how,
              parts: Object.fromEntries(parts.map((p) => [p, { file: partFile(p, format), positions: split[p], ids: docsOf(p).map((d) => d.id) }])),
            };
            await writeAtomic(join(dir, SPLIT_RECORD), [splitRecordJson(record)]);
          },
          obsolete,
        ),
      ));
      printWarnings(lost, flags.out);
      printWarnings(coverage, flags.out);

      const summary = parts.map((p) => {
        const s = computeStats(docsOf(p), []);
        return { part: p, file: join(flags.out, partFile(p, format)), documents: s.documents, sentences: s.sentences, entities: s.entities.total, relations: s.relations.total };
      });
      // Every warning, as stats --json has them: of reading, of what the output format lost, of label coverage.
      const warnings = [corpus.diagnostics, listing, lost, coverage].flatMap((d) => d.summary());
      if (flags.json) printJson({ source: file, format, ...('lists' in how ? { lists: how.lists } : { seed: how.seed }), parts: summary, warnings });
      else {
        const rows = summary.map((s) => [s.part, s.documents, s.sentences, s.entities, s.relations, s.file]);
        process.stdout.write(`${formatTable(['part', 'documents', 'sentences', 'entities', 'relations', 'written to'], rows)}\n`);
      }
    });
}
