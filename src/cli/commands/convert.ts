/** `entrel convert --from F --to G IN OUT`: between any readable and any writable format. */
import { Command } from 'commander';
import { Diagnostics } from '../../data/diagnostics.js';
import { WRITABLE_FORMATS, inputFiles, loadCorpus, writeCorpus, writtenFiles } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { printWarnings } from '../output.js';
import { withInterrupts } from '../interrupt.js';
import { addDataFlags, corpusOptions, type DataFlags } from './data-options.js';

export function convertCommand(): Command {
  const cmd = new Command('convert')
    .description('convert an annotated corpus between formats')
    .argument('<in>', 'input file (or brat directory)')
    .argument('<out>', 'output file (a directory for brat)');
  return addDataFlags(cmd, 'from')
    .requiredOption('--to <format>', `output format: ${WRITABLE_FORMATS.join(', ')}`)
    .action(async (input: string, out: string, flags: DataFlags & { from?: string; to: string }) => {
      refuseOverwritingInputs(writtenFiles(out, flags.to), await inputFiles(input, { typesFile: flags.types }));
      const corpus = await loadCorpus(input, { ...corpusOptions(flags, flags.from), diagnostics: new Diagnostics() });
      printWarnings(corpus.diagnostics, input);
      // What the output format cannot hold, counted as it is written.
      const lost = new Diagnostics();
      await withInterrupts(() => writeCorpus(corpus.documents, corpus.schema, out, flags.to, lost));
      printWarnings(lost, out);
      const sentences = corpus.documents.reduce((n, d) => n + d.sentences.length, 0);
      process.stderr.write(`entrel: wrote ${corpus.documents.length} documents (${sentences} sentences) to ${out} as ${flags.to}\n`);
    });
}
