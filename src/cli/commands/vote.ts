/**
 * `entrel vote A B C … --out FILE [--to FORMAT] [--min-votes K]`: several systems' predictions of the
 * same documents combined by majority vote (eval/vote.ts), written like any corpus.
 */
import { Command, Option } from 'commander';
import { mergeSchemas } from '../../data/corpus.js';
import { Diagnostics } from '../../data/diagnostics.js';
import { WRITABLE_FORMATS, inputFiles, loadCorpus, writeCorpus, writtenFiles } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { vote } from '../../eval/index.js';
import { UserError } from '../../errors.js';
import { withInterrupts } from '../interrupt.js';
import { counted } from '../../web/plural.js';
import { printWarnings } from '../output.js';
import { positiveInteger } from './arg-values.js';
import { addDataFlags, pairedOptions, type DataFlags } from './data-options.js';

interface VoteFlags extends DataFlags {
  out: string;
  to?: string;
  minVotes?: number;
}

export function voteCommand(): Command {
  const cmd = new Command('vote')
    .description('combine several systems\' predictions of the same documents: keep each entity and relation that a majority of them (or --min-votes) predicted')
    .argument('<predictions...>', 'prediction files (at least two), e.g. from entrel predict with models of different seeds; the first gives the documents\' order');
  addDataFlags(cmd)
    .requiredOption('--out <file>', 'output file, a directory for brat (written atomically)')
    .addOption(new Option('--to <format>', 'output format (default jsonl)').choices([...WRITABLE_FORMATS]))
    .option('--min-votes <k>', 'systems that must predict an item for it to be kept (default: more than half)', positiveInteger);
  return cmd.action(async (files: string[], flags: VoteFlags) => {
    if (files.length < 2) throw new UserError(`vote needs at least two prediction files (got ${files.length})`);
    if (flags.minVotes !== undefined && flags.minVotes > files.length)
      throw new UserError(`--min-votes ${flags.minVotes}: there are only ${files.length} prediction files`);
    const to = flags.to ?? 'jsonl';
    // A types file read beside an input is an input too.
    const inputs = await Promise.all(files.map((file) => inputFiles(file, { typesFile: flags.types })));
    refuseOverwritingInputs(writtenFiles(flags.out, to), inputs.flat());
    const options = await pairedOptions(flags, files.map((file) => ({ file, format: flags.format })));
    const systems = [];
    for (const [i, file] of files.entries()) {
      const corpus = await loadCorpus(file, { ...options[i], diagnostics: new Diagnostics() });
      printWarnings(corpus.diagnostics, file);
      systems.push(corpus);
    }
    const schema = mergeSchemas(...systems.map((s) => s.schema));
    const missing = files.map(() => new Diagnostics());
    const { documents, counts } = vote(systems.map((s) => s.documents), { minVotes: flags.minVotes, schema, files, diagnostics: missing });
    missing.forEach((d, i) => printWarnings(d, files[i]));
    const lost = new Diagnostics();
    await withInterrupts(() => writeCorpus(documents, schema, flags.out, to, lost));
    printWarnings(lost, flags.out);
    const of = (k: { kept: number; distinct: number }) => `${k.kept} of ${k.distinct}`;
    process.stderr.write(
      `entrel: kept ${of(counts.entities)} distinct entities and ${of(counts.relations)} distinct relations ` +
        `(at least ${counts.minVotes} of ${counts.systems} votes); wrote ${counted(documents.length, 'document')} to ${flags.out}${to === 'jsonl' ? '' : ` as ${to}`}\n`,
    );
  });
}
