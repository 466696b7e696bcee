/**
 * `entrel compare --gold G BASELINE SYSTEM [SYSTEM …]`: is a system's score really different from the
 * baseline's on this gold? For each measure the micro F1 of both, the difference, its paired bootstrap
 * interval and the approximate randomization p-value (eval/significance.ts). Every file is read and
 * paired with gold as `evaluate --gold --pred` does.
 */
import { Command } from 'commander';
import { Diagnostics } from '../../data/diagnostics.js';
import { inputFiles, loadCorpus } from '../../data/formats/index.js';
import { refuseOverwritingInputs, writeAtomic } from '../../data/write.js';
import { compareCounts, formatComparison, unitCounts, type UnitCounts } from '../../eval/index.js';
import { UserError } from '../../errors.js';
import { printJson, printWarnings } from '../output.js';
import { reportPaperCompat } from './paper-compat-changes.js';
import { positiveInteger } from './arg-values.js';
import { addDataFlags, addLabelStudioFlag, pairedOptions, type DataFlags } from './data-options.js';
import { addResampleFlags, resampleOptions, type ResampleFlags } from './resample-flags.js';
import { withBars } from '../progress.js';
import { progressLogOption } from '../progress-log.js';
import { reportToStandardOutput } from '../standard-output.js';

interface CompareFlags extends DataFlags, ResampleFlags {
  gold?: string;
  samples?: number;
  trials?: number;
  paperCompat?: boolean;
  json?: boolean;
  out?: string;
  quiet?: boolean;
  progressLog?: string;
}

export function compareCommand(): Command {
  const cmd = new Command('compare')
    .description('test whether systems score differently on the same gold: each prediction file against the first (the baseline), with paired bootstrap intervals and approximate randomization p-values of the F1 differences')
    .argument('<predictions...>', 'prediction files, the baseline first (at least two)')
    .option('--gold <file>', 'gold annotations (required)');
  addLabelStudioFlag(addDataFlags(cmd), 'the prediction files that are Label Studio files (--gold is read from its annotations)')
    .option('--samples <n>', 'bootstrap resamples (default 1000)', positiveInteger)
    .option('--trials <n>', 'approximate randomization shuffles (default 10000)', positiveInteger)
    .option('--paper-compat', 'score as the authors\' evaluator does (reference spec §4.2)')
    .option('--json', 'print the comparison as JSON')
    .option('--out <file>', 'also write the JSON comparison to this file (- for standard output, instead of the table)')
    .addOption(progressLogOption());
  return addResampleFlags(cmd).action(async (files: string[], flags: CompareFlags) => {
    if (!flags.gold) throw new UserError('compare needs --gold FILE');
    // `--out -` puts the JSON on stdout: the table after it would make it unreadable (review 32 #5).
    const tableless = reportToStandardOutput(flags.out, flags.json);
    if (files.length < 2) throw new UserError(`compare needs at least two prediction files, the baseline first (got ${files.length})`);
    // A types file read beside an input is an input too.
    if (flags.out) refuseOverwritingInputs([flags.out], [flags.types, ...(await Promise.all([flags.gold, ...files].map((f) => inputFiles(f)))).flat()]);
    const options = await pairedOptions(flags, [flags.gold, ...files].map((file, i) => ({ file, format: flags.format, gold: i === 0 })));
    const gold = await loadCorpus(flags.gold, { ...options[0], diagnostics: new Diagnostics() });
    const resample = { ...resampleOptions(flags), samples: flags.samples, trials: flags.trials };
    // One system's documents in memory at a time: only its unit counts are kept.
    const counted: UnitCounts[] = [];
    const warnings = [];
    for (const [i, file] of files.entries()) {
      const { documents, diagnostics } = await loadCorpus(file, { ...options[i + 1], diagnostics: new Diagnostics() });
      counted.push(unitCounts(gold.documents, documents, {
        unit: resample.unit, schema: gold.schema, paperCompat: flags.paperCompat,
        // Pairing's errors and warnings (a document without its prediction, …) are about the predictions.
        goldFile: flags.gold, predFile: file, diagnostics,
      }));
      warnings.push(diagnostics);
    }
    const comparison = await withBars(flags, 'compare', async (bars) => compareCounts(counted, { ...resample, onProgress: bars.resampled('compare') }));
    printWarnings(gold.diagnostics, flags.gold);
    const paperCompatGold = flags.paperCompat ? reportPaperCompat(gold.documents, flags.gold) : undefined;
    warnings.forEach((d, i) => printWarnings(d, files[i]));
    const json = { gold: flags.gold, files, paperCompat: flags.paperCompat === true, ...(paperCompatGold ? { paperCompatGold } : {}), ...comparison };
    if (flags.out) await writeAtomic(flags.out, [JSON.stringify(json, null, 2) + '\n']);
    if (flags.json) printJson(json);
    else if (!tableless) process.stdout.write(`Gold: ${flags.gold}${flags.paperCompat ? ' (scored as the authors\' evaluator does, --paper-compat)' : ''}\n\n${formatComparison(comparison, files)}`);
  });
}
