/** `entrel stats FILE`: counts per type, sentence lengths, nested spans, and what reading dropped. */
import { Command } from 'commander';
import { computeStats, formatStats } from '../../data/stats.js';
import { loadCorpus } from '../../data/formats/index.js';
import { printJson } from '../output.js';
import { printable } from '../../errors.js';
import { addDataFlags, addLabelStudioFlag, checkedCorpusOptions, type DataFlags } from './data-options.js';

export function statsCommand(): Command {
  return addLabelStudioFlag(addDataFlags(new Command('stats').description('print corpus statistics of an annotated file').argument('<file>')), 'a Label Studio file')
    .option('--json', 'print JSON instead of a table')
    .action(async (file: string, flags: DataFlags & { json?: boolean }) => {
      const corpus = await loadCorpus(file, await checkedCorpusOptions(flags, file));
      const stats = computeStats(corpus.documents, corpus.diagnostics.summary());
      if (flags.json) printJson({ file, format: corpus.format, ...stats });
      else process.stdout.write(`${printable(file)} (${corpus.format})\n${formatStats(stats)}\n`);
    });
}
