/**
 * The progress bars of the commands that run over a whole corpus (train/progress.ts draws them, on stderr
 * when it is a terminal): a model's predictions (`predict`, `evaluate --data`, `calibrate`), the writing of
 * an output document by document (`predict`, `convert`, `split`), and resamples (`evaluate --bootstrap`,
 * `compare`). One bar per phase, one after another.
 */
import type { PredictProgress } from '../train/evaluate.js';
import { phaseBars } from '../train/progress.js';
import { withProgressLog, type ProgressSink } from './progress-log.js';

export interface CommandBars {
  /** `DataOptions.onProgress`: the model's predictions (a vote's, each sentence once per model), then the writing. */
  predicted(p: PredictProgress): void;
  /** `writeCorpus`'s `onWritten` for an output of `total` documents (`label`: the command's name; default `write`). */
  written(total: number, label?: string): (documents: number) => void;
  /** `onProgress` of the resampling (`label`: `bootstrap`, `compare`). */
  resampled(label: string): (done: number, total: number) => void;
}

/** The flags of a command with bars: `--quiet`, `--progress-log FILE` (progress-log.ts). */
interface ProgressFlags {
  quiet?: boolean;
  progressLog?: string;
}

/**
 * Runs `work` of `command` with the bars (none with `quiet`) and the progress log (`--progress-log`), and
 * ends the last bar whatever happens.
 */
export async function withBars<T>(flags: ProgressFlags, command: string, work: (bars: CommandBars) => Promise<T>, models = 1): Promise<T> {
  return withProgressLog(flags.progressLog, command, (log) => barsFor(flags.quiet === true, log, work, models));
}

async function barsFor<T>(quiet: boolean, log: ProgressSink | undefined, work: (bars: CommandBars) => Promise<T>, models: number): Promise<T> {
  const bars = phaseBars(quiet, log);
  const predict = models > 1 ? `predict (${models} models)` : 'predict';
  try {
    return await work({
      predicted: (p) =>
        p.phase === 'predict'
          ? bars.show({ label: predict, unit: 'sentences', total: p.total, work: p.workTotal }, p.done, p.work)
          : bars.show({ label: 'write', unit: 'documents', total: p.total }, p.done),
      written: (total, label = 'write') => (n) => bars.show({ label, unit: 'documents', total }, n),
      // Resampling is synchronous: a Ctrl-C ends it before the cursor could be shown again.
      resampled: (label) => (done, total) => bars.show({ label, unit: 'resamples', total, keepCursor: true }, done),
    });
  } finally {
    bars.stop();
  }
}
