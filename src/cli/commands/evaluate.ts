/**
 * `entrel evaluate`: gold against predictions (`--gold G --pred P`), or a trained model on annotated
 * data (`--model DIR --data FILE`). Prints a table, or the report as JSON with `--json`; `--out` writes it.
 * `--errors` adds the error breakdown (eval/errors.ts): tables after the scores, an `errors` key in JSON.
 * `--bootstrap` adds confidence intervals (eval/significance.ts): a table after the scores, `intervals` in JSON.
 * `--thresholds` (with --data) adds strict relation scores at each relation threshold (eval/thresholds.ts),
 * `--calibration` the scores' reliability (eval/calibration.ts).
 */
import { Command } from 'commander';
import { UserError } from '../../errors.js';
import { Diagnostics } from '../../data/diagnostics.js';
import { inputFiles, loadCorpus } from '../../data/formats/index.js';
import type { Document } from '../../data/corpus.js';
import {
  confidenceIntervals, evaluate, evaluateWithErrors, formatErrors, formatIntervals, formatReport,
  formatThresholds, thresholdSweep, DEFAULT_THRESHOLDS, calibration, formatCalibration,
  type ErrorReport, type EvalReport, type EvaluateOptions, type PredictionScores, type CalibrationReport, type ResampleOptions, type ScoreIntervals, type ThresholdRow,
} from '../../eval/index.js';
import { refuseOverwritingInputs, writeAtomic } from '../../data/write.js';
import { printJson, printWarning, printWarnings } from '../output.js';
import { checkModelFlags } from '../load-extractor.js';
import { trainingReadingWarning, addDataFlags, addLabelStudioFlag, modelDataOptions, pairedOptions, tasksWithBoth, type DataFlags } from './data-options.js';
import { modelRefs, nonNegativeInteger, positiveInteger, thresholdList } from './arg-values.js';
import { addResampleFlags, refuseUnusedResampleFlags, resampleOptions, type ResampleFlags } from './resample-flags.js';
import { reportPaperCompat, type PaperCompatCounts } from './paper-compat-changes.js';
import { withBars, type CommandBars } from '../progress.js';
import { withInterrupts } from '../interrupt.js';
import { progressLogOption } from '../progress-log.js';
import { reportToStandardOutput } from '../standard-output.js';

interface EvalFlags extends DataFlags, ResampleFlags {
  bootstrap?: number | true;
  thresholds?: number[] | true;
  calibration?: boolean;
  gold?: string; pred?: string; model?: string[]; data?: string; minVotes?: number; goldEntities?: boolean;
  paperCompat?: boolean; json?: boolean; out?: string;
  errors?: boolean; errorExamples?: number; quiet?: boolean; progressLog?: string;
}

const DEFAULT_ERROR_EXAMPLES = 3;

export function evaluateCommand(): Command {
  const cmd = new Command('evaluate')
    .description('score predictions against gold, or a model on annotated data (strict and boundaries, micro and macro, per type)')
    .option('--gold <file>', 'gold annotations')
    .option('--pred <file>', 'predictions (same documents and texts as --gold; tokenised otherwise, both are scored on common tokens)')
    .option('--model <dir|package>', 'a trained model directory (default with --data: the bundled CoNLL04 model); several: their majority vote is scored (repeatable)', modelRefs)
    .option('--min-votes <k>', 'with several models: how many must predict an item (default: more than half)', positiveInteger)
    .option('--data <file>', 'annotated data to run --model on')
    .option('--gold-entities', "with --data: give the model the data's own entities, so that only its relations are scored as its own (relation classification with gold entities)");
  addLabelStudioFlag(addDataFlags(cmd), '--pred, if a Label Studio file (--gold is read from its annotations)')
    .option('--paper-compat', 'reproduce the authors\' evaluation quirks (reference spec §4.2)')
    .option('--json', 'print the report as JSON')
    .option('--out <file>', 'also write the JSON report to this file (- for standard output, instead of the table)')
    .option('--errors', 'break the strict false positives and negatives down by kind (type, boundary, direction, …), with confusion matrices')
    .option('--error-examples <n>', `examples shown per error category with --errors (default ${DEFAULT_ERROR_EXAMPLES}; 0 = none)`, nonNegativeInteger)
    .option('--thresholds [list]', 'with --data: strict relation P/R/F1 at each relation threshold (comma-separated, in [0, 1]; default 0,0.1,…,0.9), to choose --threshold on dev data', thresholdList)
    .option('--calibration', 'with --data: are the scores probabilities? items by score bin against how many are right, and the expected calibration error')
    .option('--bootstrap [samples]', 'add confidence intervals of micro P/R/F1: percentile bootstrap over gold documents (default 1000 resamples)', positiveInteger)
    .addOption(progressLogOption());
  return addResampleFlags(cmd, ' (with --bootstrap)')
    .action(async (flags: EvalFlags) => {
      if (flags.errorExamples !== undefined && !flags.errors) throw new UserError('--error-examples needs --errors');
      // `--out -` puts the JSON on stdout: the table after it would make it unreadable (review 32 #5).
      const tableless = reportToStandardOutput(flags.out, flags.json);
      let resample: ResampleOptions | undefined;
      if (flags.bootstrap === undefined) refuseUnusedResampleFlags(flags, '--bootstrap');
      else resample = { ...resampleOptions(flags), samples: flags.bootstrap === true ? undefined : flags.bootstrap };
      if (flags.out) {
        // A types file read beside an input is an input too.
        const read = await Promise.all([flags.gold, flags.pred, flags.data].filter((f) => f !== undefined).map((f) => inputFiles(f)));
        refuseOverwritingInputs([flags.out], [...read.flat(), ...(flags.model ?? []), flags.types]);
      }
      const { report, ...analyses } = await withBars(flags, 'evaluate', (bars) => reportFor(flags, resample, bars), flags.model?.length);
      const { errors, intervals, thresholds, calibration: calibrated } = analyses;
      // The analyses asked for, each under its own key after the report's.
      const json = { ...report, ...analyses };
      if (flags.out) await writeAtomic(flags.out, [JSON.stringify(json, null, 2) + '\n']);
      if (flags.json) printJson(json);
      else if (!tableless) {
        process.stdout.write(formatReport(report) + '\n');
        if (intervals) process.stdout.write(formatIntervals(intervals) + '\n');
        if (thresholds) process.stdout.write(formatThresholds(thresholds) + '\n');
        if (calibrated) process.stdout.write(formatCalibration(calibrated) + '\n');
        if (errors) process.stdout.write(formatErrors(errors, flags.errorExamples ?? DEFAULT_ERROR_EXAMPLES) + '\n');
      }
    });
}

interface Scored {
  report: EvalReport;
  errors?: ErrorReport;
  intervals?: ScoreIntervals;
  thresholds?: ThresholdRow[];
  calibration?: CalibrationReport;
  /** With --paper-compat: how the gold side the authors' evaluator reads differs from the data. */
  paperCompatGold?: PaperCompatCounts;
}

async function reportFor(flags: EvalFlags, resample: ResampleOptions | undefined, bars: CommandBars): Promise<Scored> {
  const thresholds = flags.thresholds === true ? DEFAULT_THRESHOLDS : flags.thresholds;
  const score = (gold: Document[], pred: Document[], options: EvaluateOptions, scores?: PredictionScores): Scored => ({
    ...(flags.errors ? evaluateWithErrors(gold, pred, options) : { report: evaluate(gold, pred, options) }),
    ...(options.paperCompat ? { paperCompatGold: reportPaperCompat(gold, options.goldFile ?? 'gold') } : {}),
    // The report's pass has warned about the predictions already.
    ...(resample ? { intervals: confidenceIntervals(gold, pred, { ...options, ...resample, diagnostics: new Diagnostics(), onProgress: bars.resampled('bootstrap') }) } : {}),
    ...(thresholds && scores ? { thresholds: thresholdSweep(gold, pred, scores.relations, thresholds, options) } : {}),
    ...(flags.calibration && scores ? { calibration: calibration(gold, pred, scores, options) } : {}),
  });
  if (flags.gold || flags.pred) {
    if (!flags.gold || !flags.pred) throw new UserError('evaluate needs both --gold and --pred');
    if (thresholds || flags.calibration) throw new UserError(`${thresholds ? '--thresholds' : '--calibration'} needs --data: it runs the model for its scores, which a predictions file does not hold`);
    // Two ways to evaluate: the other one's flags would be ignored without a word.
    if (flags.goldEntities) throw new UserError("--gold-entities gives a model the data's entities: it goes with --data (and --model), not with --gold/--pred");
    if (flags.model || flags.data || flags.minVotes !== undefined) throw new UserError('--gold/--pred score a predictions file, --model/--data run a model: give one pair, not both');
    const [goldOptions, predOptions] = await pairedOptions(flags, [{ file: flags.gold, format: flags.format, gold: true }, { file: flags.pred, format: flags.format }]);
    const gold = await loadCorpus(flags.gold, { ...goldOptions, diagnostics: new Diagnostics() });
    // Scoring's warnings (a document without its prediction, …) are about the predictions.
    const pred = await loadCorpus(flags.pred, { ...predOptions, diagnostics: new Diagnostics() });
    const both = tasksWithBoth(flags.gold, flags.pred, flags, gold, pred);
    const scored = score(both.gold, both.pred, { schema: gold.schema, paperCompat: flags.paperCompat, diagnostics: pred.diagnostics, goldFile: flags.gold, predFile: flags.pred });
    printWarnings(gold.diagnostics, flags.gold);
    printWarnings(pred.diagnostics, flags.pred);
    return scored;
  }
  if (!flags.data) throw new UserError('evaluate needs --gold and --pred, or --data (with --model DIR, or the bundled model)');
  if (flags.lsResults) throw new UserError('--ls-results says how to read --pred; --data is annotated data, read from its annotations');
  const { scoreModel } = await import('../../train/evaluate.js');
  const { DEFAULT_MODEL_DIR } = await import('../../extract/extractor.js');
  checkModelFlags(flags.model ?? [], flags.minVotes);
  if ((thresholds || flags.calibration) && (flags.model?.length ?? 0) > 1)
    throw new UserError(`${thresholds ? '--thresholds' : '--calibration'} needs one --model: a vote of several has no scores`);
  const mismatch = await trainingReadingWarning(flags.model ?? [DEFAULT_MODEL_DIR], flags.data, flags);
  if (mismatch) printWarning(mismatch);
  const options = { ...modelDataOptions(flags), paperCompat: flags.paperCompat, minVotes: flags.minVotes, goldEntities: flags.goldEntities, onWarning: printWarning, onProgress: bars.predicted };
  // While the model runs, a Ctrl-C stops it at the batch in flight and shows the cursor its bar hid
  // (interrupt.ts). Scoring comes after: synchronous, a handler would only hold a Ctrl-C until its end.
  const [models, data] = [flags.model ?? DEFAULT_MODEL_DIR, flags.data];
  const scored = await withInterrupts(() => scoreModel(models, data, options, (...args) => () => score(...args)));
  return scored();
}
