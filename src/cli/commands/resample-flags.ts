/** The resampling flags `evaluate --bootstrap` and `compare` share (eval/significance.ts), so they read the same in both. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { RESAMPLE_UNITS, type ResampleOptions, type ResampleUnit } from '../../eval/index.js';
import { UserError } from '../../errors.js';
import { finiteNumber, integer } from './arg-values.js';

export interface ResampleFlags {
  seed?: number;
  unit?: ResampleUnit;
  confidence?: number;
}

/** A coverage strictly between 0 and 1 (`0.95`; `95` is refused rather than read as a percentage). */
function coverage(v: string): number {
  const x = finiteNumber(v);
  if (!(x > 0 && x < 1)) throw new InvalidArgumentError('expected a number between 0 and 1, such as 0.95');
  return x;
}

/** `needs` (e.g. ` (with --bootstrap)`) ends each help line: the flag the resampling comes with, if any. */
export function addResampleFlags(cmd: Command, needs = ''): Command {
  return cmd
    .option('--seed <n>', `seeds the resampling (default 1): the same seed gives the same figures${needs}`, integer)
    .addOption(new Option('--unit <unit>', `what is resampled: gold documents (default; a document's sentences are not independent) or sentences${needs}`).choices([...RESAMPLE_UNITS]))
    .option('--confidence <c>', `the intervals' coverage (default 0.95)${needs}`, coverage);
}

export function resampleOptions(flags: ResampleFlags): ResampleOptions {
  return { seed: flags.seed, unit: flags.unit, confidence: flags.confidence };
}

/** The flags do nothing without `needs`: given alone they are an error rather than silently ignored. */
export function refuseUnusedResampleFlags(flags: ResampleFlags, needs: string): void {
  for (const [flag, value] of [['--seed', flags.seed], ['--unit', flags.unit], ['--confidence', flags.confidence]] as const)
    if (value !== undefined) throw new UserError(`${flag} needs ${needs}`);
}
