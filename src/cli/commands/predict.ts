/** `entrel predict [--model DIR] --data FILE --out FILE [--to FORMAT]`: predictions over an annotated or tokenised file. */
import { Command, Option } from 'commander';
import { Diagnostics } from '../../data/diagnostics.js';
import { WRITABLE_FORMATS, inputFiles, writtenFiles } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { modelDirOrDefault } from '../../extract/model-info.js';
import { withInterrupts } from '../interrupt.js';
import { withBars } from '../progress.js';
import { printNote, printWarning, printWarnings } from '../output.js';
import { checkModelFlags } from '../load-extractor.js';
import { modelRefs, positiveInteger } from './arg-values.js';
import { trainingReadingWarning, addDataFlags, modelDataOptions, type DataFlags } from './data-options.js';
import { progressLogOption } from '../progress-log.js';

export function predictCommand(): Command {
  const cmd = new Command('predict')
    .description('predict entities and relations for every sentence of a corpus file (written as entrel JSONL, or any writable format)')
    .option('--model <dir|package>', 'a trained model directory (default: the bundled CoNLL04 model); several: their majority vote (repeatable)', modelRefs)
    .option('--min-votes <k>', 'with several models: how many must predict an item (default: more than half)', positiveInteger)
    .requiredOption('--data <file>', 'input corpus (any supported format)')
    .requiredOption('--out <file>', 'output file, a directory for brat (written atomically)')
    .addOption(new Option('--to <format>', 'output format (default jsonl; brat to correct the predictions in brat)').choices([...WRITABLE_FORMATS]))
    .option('--gold-entities', "give the model the data's own entities: it keeps them and predicts only the relations between them")
    .addOption(progressLogOption());
  // The data flags of evaluate --data: the same file reads the same way (e.g. NYT's --split test).
  return addDataFlags(cmd).action(async (flags: DataFlags & { model?: string[]; minVotes?: number; data: string; out: string; to?: string; goldEntities?: boolean; quiet?: boolean; progressLog?: string }) => {
    checkModelFlags(flags.model ?? [], flags.minVotes);
    const models = flags.model ?? [modelDirOrDefault(undefined)];
    const to = flags.to ?? 'jsonl';
    refuseOverwritingInputs(writtenFiles(flags.out, to), [...(await inputFiles(flags.data, { typesFile: flags.types })), ...models]);
    const mismatch = await trainingReadingWarning(models, flags.data, flags);
    if (mismatch) printWarning(mismatch);
    const { predictToFile } = await import('../../train/evaluate.js');
    // What the output format cannot hold, counted as it is written (as convert does).
    const lost = new Diagnostics();
    const options = { ...modelDataOptions(flags), minVotes: flags.minVotes, goldEntities: flags.goldEntities, onWarning: printWarning };
    await withInterrupts(() => withBars(flags, 'predict', (bars) => predictToFile(models, flags.data, flags.out, { ...options, onProgress: bars.predicted }, to, lost), models.length));
    printWarnings(lost, flags.out);
    printNote(`wrote predictions to ${flags.out}${to === 'jsonl' ? '' : ` as ${to}`}`, flags);
  });
}
