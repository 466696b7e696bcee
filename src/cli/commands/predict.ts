/** `entrel predict --model DIR --data FILE --out FILE`: predictions over an annotated or tokenised file. */
import { Command } from 'commander';
import { inputFiles, writtenFiles } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { withInterrupts } from '../interrupt.js';

export function predictCommand(): Command {
  return new Command('predict')
    .description('predict entities and relations for every sentence of a corpus file (written as entrel JSONL)')
    .requiredOption('--model <dir>', 'a trained model directory')
    .requiredOption('--data <file>', 'input corpus (any supported format)')
    .requiredOption('--out <file>', 'output JSONL file (written atomically)')
    .option('--format <name>', 'format of --data (detected when absent)')
    .action(async (flags: { model: string; data: string; out: string; format?: string }) => {
      refuseOverwritingInputs(writtenFiles(flags.out, 'jsonl'), [...(await inputFiles(flags.data)), flags.model]);
      const { predictToFile } = await import('../../train/evaluate.js');
      await withInterrupts(() => predictToFile(flags.model, flags.data, flags.out, { format: flags.format }));
      process.stderr.write(`entrel: wrote predictions to ${flags.out}\n`);
    });
}
