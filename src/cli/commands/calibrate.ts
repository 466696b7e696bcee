/**
 * `entrel calibrate --model DIR --data DEV --out DIR2`: the model with its scores calibrated on DEV
 * (train/calibrate.ts). Prints the calibration before and after, on DEV.
 */
import { Command } from 'commander';
import { modelRef } from './arg-values.js';
import { inputFiles } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { formatCalibration } from '../../eval/index.js';
import { modelDirOrDefault } from '../../extract/model-info.js';
import { withInterrupts } from '../interrupt.js';
import { withBars } from '../progress.js';
import { printJson, printNote, printWarning } from '../output.js';
import { addDataFlags, modelDataOptions, type DataFlags } from './data-options.js';
import { progressLogOption } from '../progress-log.js';

interface CalibrateFlags extends DataFlags {
  model?: string;
  data: string;
  out: string;
  json?: boolean;
  quiet?: boolean;
  progressLog?: string;
}

/** Fewer predicted items of a kind than this in DEV are warned about. */
const FEW_ITEMS = 100;

export function calibrateCommand(): Command {
  const cmd = new Command('calibrate')
    .description("fit a model's score calibration on annotated dev data and write the model with it (same predictions; scores that say how often such an item is right)")
    .option('--model <dir|package>', 'a trained model directory (default: the bundled CoNLL04 model)', modelRef)
    .requiredOption('--data <file>', 'annotated data the model was not trained on (dev)')
    .requiredOption('--out <dir>', 'the calibrated model directory: the model files only, written atomically (an existing directory holding other files is refused)')
    .option('--json', 'print the maps and the calibration before and after as JSON')
    .addOption(progressLogOption());
  return addDataFlags(cmd).action(async (flags: CalibrateFlags) => {
    const model = modelDirOrDefault(flags.model);
    refuseOverwritingInputs([flags.out], [...(await inputFiles(flags.data, { typesFile: flags.types })), model]);
    const { calibrateModel, trainedOnWarning } = await import('../../train/calibrate.js');
    const { refuseNonModelDirectory } = await import('../../model/io.js');
    refuseNonModelDirectory(flags.out, 'calibrated model'); // before the model runs
    const warning = trainedOnWarning(model, flags.data);
    if (warning) process.stderr.write(`entrel: ${flags.data}: warning: ${warning}\n`);
    const r = await withInterrupts(() => withBars(flags, 'calibrate', (bars) => calibrateModel(model, flags.data, flags.out, { ...modelDataOptions(flags), onWarning: printWarning, onProgress: bars.predicted })));
    // A map fitted on a handful of items is mostly noise. On none, calibrateModel refuses, or, for a kind
    // the model has no type of (an entities-only model), leaves the map out and says so.
    for (const kind of ['entities', 'relations'] as const) {
      const n = r.before[kind].items;
      if (n > 0 && n < FEW_ITEMS) process.stderr.write(`entrel: ${flags.data}: warning: only ${n} predicted ${kind} to fit on: the map is rough; calibrate on more data\n`);
    }
    if (flags.json) printJson(r);
    else process.stdout.write(`Before (the model's own scores), on ${flags.data}:\n${formatCalibration(r.before)}\nAfter:\n${formatCalibration(r.after)}`);
    printNote(`wrote the calibrated model to ${flags.out}`, flags);
  });
}
