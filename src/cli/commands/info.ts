/** `entrel info [--model DIR] [--json]`: what a model directory holds (the bundled model by default). */
import { Command } from 'commander';
import { modelRef } from './arg-values.js';
import { printJson } from '../output.js';

export function infoCommand(): Command {
  return new Command('info')
    .description('describe a model directory: labels, tokenizer, architecture, parameters, vocabulary, training, metrics, checksum')
    .option('--model <dir|package>', 'a trained model directory (default: the bundled CoNLL04 model)', modelRef)
    .option('--json', 'print one JSON object (the fields of GET /v1/model and more)')
    .action(async (flags: { model?: string; json?: boolean }) => {
      // Loaded here, as the neural commands load theirs, so that other commands do not import them.
      const { readModelCard } = await import('../../extract/model-card.js');
      const { formatModelCard } = await import('../model-card-text.js');
      const card = readModelCard(flags.model);
      if (flags.json) printJson(card);
      else process.stdout.write(formatModelCard(card) + '\n');
    });
}
