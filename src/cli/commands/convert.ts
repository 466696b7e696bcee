/** `entrel convert --from F --to G IN OUT`: between any readable and any writable format. */
import { Command } from 'commander';
import { Diagnostics } from '../../data/diagnostics.js';
import { FORMATS, WRITABLE_FORMATS, loadCorpus, writeCorpus } from '../../data/formats/index.js';
import { printWarnings } from '../output.js';
import type { DataFlags } from './data-options.js';

export function convertCommand(): Command {
  return new Command('convert')
    .description('convert an annotated corpus between formats')
    .argument('<in>', 'input file (or brat directory)')
    .argument('<out>', 'output file (a directory for brat)')
    .option('--from <format>', `input format: ${FORMATS.join(', ')} (detected when absent)`)
    .requiredOption('--to <format>', `output format: ${WRITABLE_FORMATS.join(', ')}`)
    .option('--types <file>', 'a SpERT-style types file giving the label schema')
    .option('--split <dev|test|all>', 'NYT CoType test file: the paper\'s seeded dev or test part')
    .option('--ace05', 'brat input is LSTM-ER ACE05 output')
    .action(async (input: string, out: string, flags: Omit<DataFlags, 'format'> & { from?: string; to: string }) => {
      const diagnostics = new Diagnostics();
      const corpus = await loadCorpus(input, {
        format: flags.from, typesFile: flags.types, split: flags.split, ace05: flags.ace05, diagnostics,
      });
      await writeCorpus(corpus.documents, corpus.schema, out, flags.to, diagnostics);
      printWarnings(diagnostics);
      const sentences = corpus.documents.reduce((n, d) => n + d.sentences.length, 0);
      process.stderr.write(`entrel: wrote ${corpus.documents.length} documents (${sentences} sentences) to ${out} as ${flags.to}\n`);
    });
}
