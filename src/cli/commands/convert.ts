/**
 * `entrel convert --from F --to G IN OUT`: between any readable and any writable format, optionally
 * renaming and dropping types on the way (`--rename-type OLD=NEW`, `--drop-type T`; data/relabel.ts).
 */
import { Command } from 'commander';
import { Diagnostics } from '../../data/diagnostics.js';
import { WRITABLE_FORMATS, inputFiles, loadCorpus, writeCorpus, writtenFiles } from '../../data/formats/index.js';
import { checkRelabelOptions, formatRelabelCounts, parseRenameSpec, relabelCorpus, type RelabelOptions } from '../../data/relabel.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { counted } from '../../errors.js';
import { printNote, printWarnings } from '../output.js';
import { withInterrupts } from '../interrupt.js';
import { withBars } from '../progress.js';
import { repeated } from './arg-values.js';
import { addDataFlags, addLabelStudioFlag, checkedCorpusOptions, type DataFlags } from './data-options.js';
import { progressLogOption } from '../progress-log.js';

interface ConvertFlags extends DataFlags {
  from?: string;
  to: string;
  renameType?: string[];
  dropType?: string[];
  quiet?: boolean;
  progressLog?: string;
}

export function convertCommand(): Command {
  const cmd = new Command('convert')
    .description('convert an annotated corpus between formats, optionally renaming or dropping types')
    .argument('<in>', 'input file (or brat directory)')
    .argument('<out>', 'output file (a directory for brat)');
  return addLabelStudioFlag(addDataFlags(cmd, 'from'), 'a Label Studio input')
    .requiredOption('--to <format>', `output format: ${WRITABLE_FORMATS.join(', ')}`)
    .option(
      '--rename-type <OLD=NEW>',
      'rename type OLD to NEW: the entity type, the relation type, or both, whichever the input has by that name (repeatable; ' +
        'several OLD may share a NEW, and NEW may be a type the input has: they merge; all renames apply at once, so A=B B=A swaps; \\= for an = in a type name)',
      repeated,
    )
    .option('--drop-type <type>', 'remove the entities of this type with every relation touching them, and the relations of this type (repeatable; each counted as a warning)', repeated)
    .addOption(progressLogOption())
    .action(async (input: string, out: string, flags: ConvertFlags) => {
      // Mistakes in the relabelling flags are found before the corpus is read.
      const relabel: RelabelOptions | undefined =
        flags.renameType || flags.dropType ? { rename: (flags.renameType ?? []).map(parseRenameSpec), drop: flags.dropType ?? [] } : undefined;
      if (relabel) checkRelabelOptions(relabel);
      refuseOverwritingInputs(writtenFiles(out, flags.to), await inputFiles(input, { typesFile: flags.types }));
      const corpus = await loadCorpus(input, { ...(await checkedCorpusOptions(flags, input, flags.from)), diagnostics: new Diagnostics() });
      printWarnings(corpus.diagnostics, input);
      let { documents, schema } = corpus;
      if (relabel) {
        // What the renames and drops take out of the output, counted.
        const relabelled = new Diagnostics();
        const r = relabelCorpus(corpus, relabel, relabelled);
        ({ documents, schema } = r);
        printWarnings(relabelled, out);
        for (const line of formatRelabelCounts(r.counts)) process.stderr.write(`entrel: ${line}\n`);
      }
      // What the output format cannot hold, counted as it is written.
      const lost = new Diagnostics();
      await withInterrupts(() => withBars(flags, 'convert', (bars) => writeCorpus(documents, schema, out, flags.to, lost, bars.written(documents.length, 'convert'))));
      printWarnings(lost, out);
      const sentences = documents.reduce((n, d) => n + d.sentences.length, 0);
      printNote(`wrote ${counted(documents.length, 'document')} (${counted(sentences, 'sentence')}) to ${out} as ${flags.to}`, flags);
    });
}
