/** `entrel predict [--model DIR] --data FILE --out FILE`: predictions over an annotated or tokenised file. */
import { Command } from 'commander';
import { inputFiles, writtenFiles } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { modelDirOrDefault } from '../../extract/model-info.js';
import { withInterrupts } from '../interrupt.js';
import { addDataFlags, corpusOptions, type DataFlags } from './data-options.js';

export function predictCommand(): Command {
  const cmd = new Command('predict')
    .description('predict entities and relations for every sentence of a corpus file (written as entrel JSONL)')
    .option('--model <dir>', 'a trained model directory (default: the bundled CoNLL04 model)')
    .requiredOption('--data <file>', 'input corpus (any supported format)')
    .requiredOption('--out <file>', 'output JSONL file (written atomically)');
  // The data flags of evaluate --data: the same file reads the same way (e.g. NYT's --split test).
  return addDataFlags(cmd).action(async (flags: DataFlags & { model?: string; data: string; out: string }) => {
    const model = modelDirOrDefault(flags.model);
    refuseOverwritingInputs(writtenFiles(flags.out, 'jsonl'), [...(await inputFiles(flags.data, { typesFile: flags.types })), model]);
    const { predictToFile } = await import('../../train/evaluate.js');
    await withInterrupts(() => predictToFile(model, flags.data, flags.out, corpusOptions(flags)));
    process.stderr.write(`entrel: wrote predictions to ${flags.out}\n`);
  });
}
