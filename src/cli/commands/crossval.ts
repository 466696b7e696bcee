/**
 * `entrel crossval --config FILE --data FILE --out DIR [--folds 5] [--seed N] [--set key=value …]`:
 * k-fold cross-validation of the training recipe in FILE on one annotated corpus (train/crossval.ts).
 */
import { Command } from 'commander';
import { withInterrupts } from '../interrupt.js';
import { Diagnostics } from '../../data/diagnostics.js';
import { formatTable, printJson, printWarning, printWarnings } from '../output.js';
import { integer, positiveInteger } from './arg-values.js';
import { addDataFlags, modelDataOptions, type DataFlags } from './data-options.js';
import { percent } from '../../eval/table.js';
import { formatSeconds } from '../../train/progress.js';

interface CrossValFlags extends DataFlags {
  config: string;
  data: string;
  out: string;
  folds: number;
  seed: number;
  set: string[];
  quiet?: boolean;
  json?: boolean;
}

export function crossvalCommand(): Command {
  const cmd = new Command('crossval')
    .description('k-fold cross-validation by whole documents: train and score the recipe of a config on every fold of one annotated corpus')
    .requiredOption('--config <file>', 'training config (its data files are not used: the folds are the data)')
    .requiredOption('--data <file>', 'the annotated corpus (any readable format, a brat project too)')
    .requiredOption('--out <dir>', "the study's directory: each fold's parts, run and result, crossval.json, and its log crossval.log.jsonl; run again with the same settings to go on where it stopped")
    .option('--folds <k>', 'number of folds (at least 3)', positiveInteger, 5)
    .option('--seed <n>', "seed of the documents' order", integer, 1)
    .option('--set <key=value...>', 'override config keys, as for train (repeatable)', [])
    .option('--json', 'print the result as JSON');
  return addDataFlags(cmd).action(async (flags: CrossValFlags) => {
    const { crossValidate } = await import('../../train/crossval.js');
    // The corpus reader's warnings, shown before the first fold trains (or at the end, if none had to).
    const diagnostics = new Diagnostics();
    let shown = false;
    const showWarnings = () => {
      if (!shown) printWarnings(diagnostics, flags.data);
      shown = true;
    };
    let result;
    try {
      result = await withInterrupts(
        (stopRequested) =>
          crossValidate(flags.config, flags.data, flags.out, {
            folds: flags.folds,
            seed: flags.seed,
            sets: flags.set,
            corpus: modelDataOptions(flags),
            diagnostics,
            quiet: flags.quiet,
            onWarning: printWarning,
            stopRequested,
            onFold: (f, k, eta) => {
              showWarnings();
              // With --quiet too: the one sign of a study's progress (hours a fold) where the epochs show none.
              process.stderr.write(`entrel: fold ${f} of ${k}${eta === undefined ? '' : ` (about ${formatSeconds(eta)} left, by the folds trained so far)`}\n`);
            },
          }),
        true,
      );
    } finally {
      showWarnings(); // also when it stops before a fold runs: they may say why (documents skipped)
    }
    if (flags.json) return printJson(result);
    const rows = result.folds.map((r) => [`fold ${r.fold}`, `${r.documents.train}/${r.documents.dev}/${r.documents.test}`, r.bestEpoch, percent(r.entityF1), percent(r.relationStrictF1), percent(r.relationBoundariesF1)]);
    const summary = (label: string, s: typeof result.mean) => [label, '', '', percent(s.entityF1), percent(s.relationStrictF1), percent(s.relationBoundariesF1)];
    const table = formatTable(['', 'documents train/dev/test', 'best epoch', 'entity F1', 'relation F1 (strict)', 'relation F1 (boundaries)'], [...rows, summary('mean', result.mean), summary('std', result.std)]);
    process.stdout.write(`${table}\n(${result.folds.length} folds, seed ${result.seed}; ${flags.out}/crossval.json)\n`);
  });
}
